package org.lsg4j.tokenizer;

/** Positions {@code [from, to)} of a token sequence. */
record Slice(TokenSequence sequence, int from, int to) {
    static Slice whole(TokenSequence sequence) {
        return new Slice(sequence, 0, sequence.size());
    }

    int length() {
        return to - from;
    }

    /** The first {@code n} positions. */
    Slice head(int n) {
        return new Slice(sequence, from, from + Math.min(n, length()));
    }
}
