package org.lsg4j.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * The result of encoding a text or a pair: for each position its id, token string, token type id,
 * attention mask, offsets and the input it came from. Immutable; the array getters return copies.
 *
 * <p><b>Offsets</b> are {@code [start, end)} indices of Java {@code String} chars (UTF-16 units) in
 * the input the token came from ({@link #sequenceId} 0: the text, 1: the pair). The reference
 * counts code points instead; the two agree on text without supplementary characters, and a code
 * point offset {@code c} of the reference is {@code text.offsetByCodePoints(0, c)} here. Special
 * tokens added around the inputs and padding have offsets {@code [0, 0]} and sequence id -1.
 *
 * <p><b>Token type ids</b> are what the post-processor's template gives each position: with BERT's
 * {@code [CLS] A [SEP] B [SEP]}, 0 up to the first {@code [SEP]} and 1 after it; with RoBERTa and
 * XLM-R, 0 everywhere. Padding has type id 0.
 */
public final class Encoding {
    private final int[] ids;
    private final String[] tokens;
    private final int[] starts;
    private final int[] ends;
    private final int[] sequenceIds;
    private final int[] typeIds;
    private final int[] wordIds;
    private final int[] attentionMask;

    private Encoding(Builder b) {
        ids = Arrays.copyOf(b.ids, b.size);
        tokens = Arrays.copyOf(b.tokens, b.size);
        starts = Arrays.copyOf(b.starts, b.size);
        ends = Arrays.copyOf(b.ends, b.size);
        sequenceIds = Arrays.copyOf(b.sequenceIds, b.size);
        typeIds = Arrays.copyOf(b.typeIds, b.size);
        wordIds = Arrays.copyOf(b.wordIds, b.size);
        attentionMask = Arrays.copyOf(b.mask, b.size);
    }

    /** Number of positions, padding included. */
    public int length() {
        return ids.length;
    }

    public int[] ids() {
        return ids.clone();
    }

    public int id(int i) {
        return ids[i];
    }

    /** The token strings (vocabulary entries in the byte-level alphabet; {@code " <mask>"} keeps the whitespace it took). */
    public List<String> tokens() {
        return List.of(tokens);
    }

    public String token(int i) {
        return tokens[i];
    }

    /** 1 for real tokens, 0 for padding. */
    public int[] attentionMask() {
        return attentionMask.clone();
    }

    /** Start (inclusive, UTF-16 index) of position {@code i} in the input given by {@link #sequenceId}. */
    public int start(int i) {
        return starts[i];
    }

    /** End (exclusive, UTF-16 index) of position {@code i} in the input given by {@link #sequenceId}. */
    public int end(int i) {
        return ends[i];
    }

    /** 0 when position {@code i} comes from the text, 1 from the pair, -1 for special tokens and padding. */
    public int sequenceId(int i) {
        return sequenceIds[i];
    }

    /** The token type id of position {@code i} (the segment embedding it selects). */
    public int typeId(int i) {
        return typeIds[i];
    }

    public int[] typeIds() {
        return typeIds.clone();
    }

    /**
     * The word position {@code i} belongs to, counted within its input (each pre-tokenizer split and
     * each added token written in the text is one word), as the reference's {@code word_ids}; -1 for
     * special tokens and padding.
     */
    public int wordId(int i) {
        return wordIds[i];
    }

    /**
     * The {@code [start, end)} span of a word of input {@code sequenceId} in this encoding: from
     * the start of its first token to the end of its last (the reference's {@code word_to_chars}),
     * or null when no position of this encoding belongs to it.
     */
    public int[] wordToChars(int word, int sequenceId) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < ids.length; i++) {
            if (wordIds[i] == word && sequenceIds[i] == sequenceId) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        return first < 0 ? null : new int[]{starts[first], ends[last]};
    }

    /** Number of positions that are not padding. */
    public int realLength() {
        int n = 0;
        for (int m : attentionMask) {
            n += m;
        }
        return n;
    }

    /** This encoding padded to {@code length} with {@code padId}/{@code padToken}, on the right or the left. */
    Encoding padded(int length, int padId, String padToken, boolean left) {
        int missing = length - ids.length;
        if (missing <= 0) {
            return this;
        }
        Builder b = new Builder(length);
        if (left) {
            addPadding(b, missing, padId, padToken);
        }
        for (int i = 0; i < ids.length; i++) {
            b.add(ids[i], tokens[i], starts[i], ends[i], sequenceIds[i], typeIds[i], wordIds[i], attentionMask[i]);
        }
        if (!left) {
            addPadding(b, missing, padId, padToken);
        }
        return b.build();
    }

    private static void addPadding(Builder b, int count, int padId, String padToken) {
        for (int i = 0; i < count; i++) {
            b.add(padId, padToken, 0, 0, -1, 0, -1, 0);
        }
    }

    /** Collects positions in order. */
    static final class Builder {
        private int[] ids;
        private String[] tokens;
        private int[] starts;
        private int[] ends;
        private int[] sequenceIds;
        private int[] typeIds;
        private int[] wordIds;
        private int[] mask;
        private int size;

        Builder(int capacity) {
            int c = Math.max(4, capacity);
            ids = new int[c];
            tokens = new String[c];
            starts = new int[c];
            ends = new int[c];
            sequenceIds = new int[c];
            typeIds = new int[c];
            wordIds = new int[c];
            mask = new int[c];
        }

        /** A special token added around the inputs, with its type id. */
        Builder special(int id, String token, int typeId) {
            return add(id, token, 0, 0, -1, typeId, -1, 1);
        }

        /** Positions {@code [from, to)} of {@code seq}, marked as coming from input {@code sequenceId} with {@code typeId}. */
        Builder tokens(Encoding seq, int from, int to, int sequenceId, int typeId) {
            for (int i = from; i < to; i++) {
                add(seq.ids[i], seq.tokens[i], seq.starts[i], seq.ends[i], sequenceId, typeId, seq.wordIds[i], 1);
            }
            return this;
        }

        /** A token of one input, before the post-processor (input 0, type 0). */
        Builder token(int id, String token, int start, int end, int word) {
            return add(id, token, start, end, 0, 0, word, 1);
        }

        Builder add(int id, String token, int start, int end, int sequenceId, int typeId, int word, int attention) {
            if (size == ids.length) {
                grow();
            }
            ids[size] = id;
            tokens[size] = token;
            starts[size] = start;
            ends[size] = end;
            sequenceIds[size] = sequenceId;
            typeIds[size] = typeId;
            wordIds[size] = word;
            mask[size] = attention;
            size++;
            return this;
        }

        /** Doubles the capacity (kept out of {@link #add} so that the JIT inlines the common path). */
        private void grow() {
            int c = size * 2;
            ids = Arrays.copyOf(ids, c);
            tokens = Arrays.copyOf(tokens, c);
            starts = Arrays.copyOf(starts, c);
            ends = Arrays.copyOf(ends, c);
            sequenceIds = Arrays.copyOf(sequenceIds, c);
            typeIds = Arrays.copyOf(typeIds, c);
            wordIds = Arrays.copyOf(wordIds, c);
            mask = Arrays.copyOf(mask, c);
        }

        Encoding build() {
            return new Encoding(this);
        }
    }
}
