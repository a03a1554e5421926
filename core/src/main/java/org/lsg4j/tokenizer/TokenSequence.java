package org.lsg4j.tokenizer;

import java.util.Arrays;

/**
 * The tokens of one input string before special tokens are added: ids, token strings and
 * {@code [start, end)} offsets in that string. Filled once by {@link SequenceEncoder}, then only read.
 */
final class TokenSequence {
    private int[] ids;
    private String[] tokens;
    private int[] starts;
    private int[] ends;
    private int size;

    TokenSequence(int capacity) {
        int c = Math.max(4, capacity);
        ids = new int[c];
        tokens = new String[c];
        starts = new int[c];
        ends = new int[c];
    }

    void add(int id, String token, int start, int end) {
        if (size == ids.length) {
            int c = size * 2;
            ids = Arrays.copyOf(ids, c);
            tokens = Arrays.copyOf(tokens, c);
            starts = Arrays.copyOf(starts, c);
            ends = Arrays.copyOf(ends, c);
        }
        ids[size] = id;
        tokens[size] = token;
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    int size() {
        return size;
    }

    int id(int i) {
        return ids[i];
    }

    String token(int i) {
        return tokens[i];
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }
}
