package org.lsg4j.model;

import org.lsg4j.LsgException;

/**
 * Which sparse keys each query block sees. The reference pads the sparse sequence and unfolds it
 * into overlapping windows, then slices a left and a right part out of each window; this class
 * computes the same positions (Python slice rules included) without materialising the windows.
 * For block i and an even step {@code b/f} the result is the {@code s} sparse positions before
 * {@code (i-1)*b/f} followed by the {@code s} positions from {@code (i+2)*b/f}.
 */
final class SparseWindows {
    private SparseWindows() {
    }

    /**
     * @return for each of the {@code tPadded / b} blocks, the sparse positions it sees, -1 for a
     * position outside the sparse sequence (a zero key with the mask's most negative value)
     */
    static int[][] compute(int b, int s, int f, int sparseLength, int tPadded) {
        int blocks = tPadded / b;
        int step = b / f;
        int odd = step % 2;
        int size = 6 * s;                        // window: 2 * (3 * sparse_block_size)
        int pad = Math.floorDiv(size - step, 2) + odd;
        int windows = Math.floorDiv(sparseLength + 2 * pad - size, step) + 1 - odd;
        if (windows != blocks) {
            String why = odd == 1 && step > 1
                    ? "block_size " + b + " / sparsity_factor " + f + " = " + step + " is odd and greater than 1"
                    : "the " + sparseLength + " sparse keys do not cover the blocks at " + step + " per block";
            throw new LsgException(why + ": the sparse windows (" + windows + ") do not match the " + blocks
                    + " blocks, which the reference rejects (a tensor size mismatch)");
        }
        int u = Math.floorDiv(size - 3 * step, 2) + odd;
        int[] left = pySlice(u - s, u, size);
        int[] right = pySlice(-(u + odd), -(u + odd) + s, size);
        int[][] out = new int[blocks][];
        for (int i = 0; i < blocks; i++) {
            int[] pos = new int[(left[1] - left[0]) + (right[1] - right[0])];
            int k = 0;
            for (int[] part : new int[][]{left, right}) {
                for (int j = part[0]; j < part[1]; j++) {
                    int p = i * step + j - pad;
                    pos[k++] = p >= 0 && p < sparseLength ? p : -1;
                }
            }
            out[i] = pos;
        }
        return out;
    }

    /** Python's {@code x[start:stop]} on a sequence of {@code length}, as [from, to) with to >= from. */
    private static int[] pySlice(int start, int stop, int length) {
        int a = clampIndex(start, length);
        int z = clampIndex(stop, length);
        return new int[]{a, Math.max(a, z)};
    }

    private static int clampIndex(int i, int length) {
        if (i < 0) {
            i += length;
        }
        return Math.min(Math.max(i, 0), length);
    }
}
