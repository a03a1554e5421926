package org.lsg4j.tokenizer;

import java.util.Map;

/**
 * WordPiece: a word is cut greedily, left to right, into the longest vocabulary entries, every
 * piece after the first looked up with the continuing-subword prefix ({@code ##}). A word with a
 * part no entry covers, or longer than {@code maxInputCharsPerWord} characters, is the unknown
 * token as a whole. Immutable.
 */
final class WordPieceModel implements Model {
    private final Map<String, Integer> vocab;
    private final String unkToken;
    private final int unkId;
    private final String prefix;
    private final int maxInputCharsPerWord;

    /**
     * @param unkId the id of {@code unkToken}
     * @param prefix the continuing_subword_prefix
     */
    WordPieceModel(Map<String, Integer> vocab, String unkToken, int unkId, String prefix, int maxInputCharsPerWord) {
        this.vocab = Map.copyOf(vocab);
        this.unkToken = unkToken;
        this.unkId = unkId;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    String prefix() {
        return prefix;
    }

    @Override
    public void tokenize(String text, int from, int to, TokenSink sink) {
        if (text.codePointCount(from, to) > maxInputCharsPerWord) {
            sink.token(unkId, unkToken, from, to);
            return;
        }
        // pieces as (id, end) pairs; a piece starts where the previous one ended
        int[] ids = new int[to - from];
        int[] ends = new int[to - from];
        int count = 0;
        int start = from;
        while (start < to) {
            int end = to;
            Integer found = null;
            while (start < end) {
                String piece = start > from ? prefix + text.substring(start, end) : text.substring(start, end);
                found = vocab.get(piece);
                if (found != null) {
                    break;
                }
                end -= Character.charCount(text.codePointBefore(end));
            }
            if (found == null) {
                sink.token(unkId, unkToken, from, to);
                return;
            }
            ids[count] = found;
            ends[count] = end;
            count++;
            start = end;
        }
        int pieceStart = from;
        for (int k = 0; k < count; k++) {
            String value = pieceStart > from ? prefix + text.substring(pieceStart, ends[k]) : text.substring(pieceStart, ends[k]);
            sink.token(ids[k], value, pieceStart, ends[k]);
            pieceStart = ends[k];
        }
    }
}
