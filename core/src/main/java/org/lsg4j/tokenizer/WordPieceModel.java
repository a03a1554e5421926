package org.lsg4j.tokenizer;

import java.util.HashMap;
import java.util.Map;

/**
 * WordPiece: a word is cut greedily, left to right, into the longest vocabulary entries, every
 * piece after the first looked up with the continuing-subword prefix ({@code ##}). A word with a
 * part no entry covers, or longer than {@code maxInputCharsPerWord} characters, is the unknown
 * token as a whole. The longest entry at each place is found by walking a trie of the vocabulary
 * (and one of the prefixed entries, prefix removed) rather than by trying ever shorter substrings;
 * the result is the same. Immutable.
 */
final class WordPieceModel implements Model {
    private final CharTrie initial;
    private final CharTrie continuing;
    private final String unkToken;
    private final int unkId;
    private final String prefix;
    private final int maxInputCharsPerWord;

    /**
     * @param unkId the id of {@code unkToken}
     * @param prefix the continuing_subword_prefix
     */
    WordPieceModel(Map<String, Integer> vocab, String unkToken, int unkId, String prefix, int maxInputCharsPerWord) {
        Map<String, Integer> prefixed = new HashMap<>();
        vocab.forEach((token, id) -> {
            if (token.startsWith(prefix)) {
                prefixed.put(token.substring(prefix.length()), id);
            }
        });
        this.initial = new CharTrie(vocab);
        this.continuing = new CharTrie(prefixed);
        this.unkToken = unkToken;
        this.unkId = unkId;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
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
        for (int start = from; start < to; ) {
            CharTrie trie = start == from ? initial : continuing;
            int node = CharTrie.ROOT;
            int found = -1;
            int end = -1;
            for (int i = start; i < to; i++) {
                node = trie.child(node, text.charAt(i));
                if (node < 0) {
                    break;
                }
                int id = trie.id(node);
                boolean boundary = i + 1 == to || !Character.isLowSurrogate(text.charAt(i + 1))
                        || !Character.isHighSurrogate(text.charAt(i));
                if (id >= 0 && boundary) {
                    found = id;
                    end = i + 1;
                }
            }
            if (found < 0) {
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
            String piece = text.substring(pieceStart, ends[k]);
            sink.token(ids[k], pieceStart > from ? prefix + piece : piece, pieceStart, ends[k]);
            pieceStart = ends[k];
        }
    }
}
