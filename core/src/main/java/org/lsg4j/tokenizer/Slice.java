package org.lsg4j.tokenizer;

/** Positions {@code [from, to)} of the encoding of one input (no special tokens). */
record Slice(Encoding sequence, int from, int to) {
    static Slice whole(Encoding sequence) {
        return new Slice(sequence, 0, sequence.length());
    }

    int length() {
        return to - from;
    }

    /** The first {@code n} positions. */
    Slice head(int n) {
        return new Slice(sequence, from, from + Math.min(n, length()));
    }
}
