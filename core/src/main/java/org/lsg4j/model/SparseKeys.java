package org.lsg4j.model;

/**
 * The sparse keys of one sequence, per head: {@code length} keys and values of dh floats and
 * whether each is visible (its additive mask is 0 rather than the most negative float).
 */
record SparseKeys(int length, float[] keys, float[] values, boolean[] visible) {
    // keys, values: heads x length x dh; visible: heads x length

    static SparseKeys allocate(int heads, int length, int dh) {
        return new SparseKeys(length, new float[heads * length * dh], new float[heads * length * dh],
                new boolean[heads * length]);
    }
}
