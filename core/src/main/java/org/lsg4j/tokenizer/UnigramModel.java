package org.lsg4j.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Unigram model of SentencePiece: of all ways to cut a word into vocabulary pieces, the one
 * whose piece scores (log probabilities) add up to the most, found by Viterbi over the positions
 * of the word, as the reference's optimized encoder does it.
 *
 * <p>At every character boundary, each piece that starts there extends the best path ending
 * there; a later candidate replaces the best path of its end only when strictly better. A
 * character no one-character piece covers gets the unknown piece with score
 * {@code min score - 10}. Consecutive unknown pieces are fused into one token. A token whose text
 * is not a piece (a fused unknown) becomes, with {@code byteFallback} and when all its bytes have
 * {@code <0xHH>} pieces, one such token per UTF-8 byte, each spanning the whole text; otherwise
 * the unknown id. Immutable.
 */
final class UnigramModel implements Model {
    private static final double UNKNOWN_PENALTY = 10.0;

    private final String[] pieces;
    private final double[] scores;
    private final Map<String, Integer> ids;
    private final int unkId;          // -1: none
    private final boolean byteFallback;
    private final double unkScore;
    private final CharTrie trie;

    /**
     * @param unkId the id of the unknown piece, or -1
     * @throws IllegalArgumentException when {@code unkId} is not an index of {@code pieces}
     */
    UnigramModel(List<String> pieces, double[] scores, int unkId, boolean byteFallback) {
        if (unkId >= pieces.size()) {
            throw new IllegalArgumentException("unk_id " + unkId + " is not below the " + pieces.size() + " pieces");
        }
        this.pieces = pieces.toArray(String[]::new);
        this.scores = scores.clone();
        Map<String, Integer> map = new HashMap<>(pieces.size() * 2);
        double min = Double.POSITIVE_INFINITY;
        for (int id = 0; id < pieces.size(); id++) {
            map.put(pieces.get(id), id);
            min = Math.min(min, scores[id]);
        }
        this.ids = map;
        this.unkId = unkId;
        this.byteFallback = byteFallback;
        this.unkScore = min - UNKNOWN_PENALTY;
        this.trie = new CharTrie(map);
    }

    /** The piece of each id. */
    String[] pieces() {
        return pieces.clone();
    }

    /** The id of each piece (the last one when a piece is listed twice). */
    Map<String, Integer> ids() {
        return Map.copyOf(ids);
    }

    @Override
    public void tokenize(String text, int from, int to, TokenSink sink) {
        int n = to - from;
        // best path ending at from + k: its score, the start of its last piece (-1: none yet) and that piece
        double[] best = new double[n + 1];
        int[] startOf = new int[n + 1];
        int[] pieceOf = new int[n + 1];
        Arrays.fill(startOf, -1);
        for (int s = 0; s < n; ) {
            int charLen = Character.charCount(text.codePointAt(from + s));
            double here = best[s];
            boolean singleChar = false;
            int node = CharTrie.ROOT;
            for (int e = s; e < n; e++) {
                node = trie.child(node, text.charAt(from + e));
                if (node < 0) {
                    break;
                }
                int id = trie.id(node);
                if (id >= 0) {
                    int end = e + 1;
                    double candidate = scores[id] + here;
                    if (startOf[end] < 0 || candidate > best[end]) {
                        best[end] = candidate;
                        startOf[end] = s;
                        pieceOf[end] = id;
                    }
                    singleChar |= end - s == charLen;
                }
            }
            if (!singleChar) {
                int end = s + charLen;
                double candidate = unkScore + here;
                if (startOf[end] < 0 || candidate > best[end]) {
                    if (unkId < 0) {
                        throw new org.lsg4j.LsgException("the Unigram model has no unk_id, and no piece covers \""
                                + text.substring(from + s, from + end) + "\"");
                    }
                    best[end] = candidate;
                    startOf[end] = s;
                    pieceOf[end] = unkId;
                }
            }
            s += charLen;
        }
        // Walk back, fusing runs of unknown pieces, then give the tokens in order.
        List<int[]> spans = new ArrayList<>();
        int end = n;
        int unknownEnd = -1;
        while (end > 0) {
            int start = startOf[end];
            if (pieceOf[end] == unkId) {
                unknownEnd = unknownEnd < 0 ? end : unknownEnd;
            } else {
                if (unknownEnd >= 0) {
                    spans.add(new int[] {end, unknownEnd});
                    unknownEnd = -1;
                }
                spans.add(new int[] {start, end});
            }
            end = start;
        }
        if (unknownEnd >= 0) {
            spans.add(new int[] {0, unknownEnd});
        }
        for (int k = spans.size() - 1; k >= 0; k--) {
            int s = from + spans.get(k)[0];
            int e = from + spans.get(k)[1];
            emit(text.substring(s, e), s, e, sink);
        }
    }

    private void emit(String value, int start, int end, TokenSink sink) {
        Integer id = ids.get(value);
        if (id != null) {
            sink.token(id, value, start, end);
            return;
        }
        if (byteFallback) {
            byte[] bytes = TextChars.utf8(value, 0, value.length());
            int[] byteIds = new int[bytes.length];
            String[] names = new String[bytes.length];
            boolean all = true;
            for (int i = 0; i < bytes.length && all; i++) {
                names[i] = String.format("<0x%02X>", bytes[i] & 0xFF);
                Integer b = ids.get(names[i]);
                all = b != null;
                byteIds[i] = all ? b : -1;
            }
            if (all) {
                for (int i = 0; i < bytes.length; i++) {
                    sink.token(byteIds[i], names[i], start, end);
                }
                return;
            }
        }
        sink.token(unkId, value, start, end);
    }
}
