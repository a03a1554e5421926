package org.lsg4j.tokenizer;

import java.util.Arrays;

/**
 * The BPE merge rules: for a pair of token ids, its rank (lower merges first) and the id of the
 * merged token. An open-addressing hash table keyed by the pair packed into one {@code long}.
 */
final class MergeTable {
    private static final long EMPTY = -1L;
    private final long[] keys;
    private final long[] values;
    private final int mask;

    private MergeTable(int capacity) {
        keys = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    /** Builds the table from merges in rank order: {@code left[r] + right[r] -> merged[r]}. */
    static MergeTable of(int[] left, int[] right, int[] merged) {
        int capacity = Integer.highestOneBit(Math.max(4, left.length * 2)) << 1;
        MergeTable table = new MergeTable(capacity);
        for (int rank = 0; rank < left.length; rank++) {
            table.putIfAbsent(pack(left[rank], right[rank]), ((long) rank << 32) | merged[rank]);
        }
        return table;
    }

    /** The rank of merging {@code a b}, or -1 when there is no such rule. */
    int rank(int a, int b) {
        long v = find(pack(a, b));
        return v == EMPTY ? -1 : (int) (v >>> 32);
    }

    /** The id of the token {@code a b} merges into; only valid when {@link #rank} is not -1. */
    int merged(int a, int b) {
        return (int) find(pack(a, b));
    }

    private static long pack(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    private long find(long key) {
        for (int i = slot(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return EMPTY;
            }
        }
    }

    /** A repeated rule keeps its first (lowest) rank. */
    private void putIfAbsent(long key, long value) {
        for (int i = slot(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return;
            }
            if (keys[i] == EMPTY) {
                keys[i] = key;
                values[i] = value;
                return;
            }
        }
    }
}
