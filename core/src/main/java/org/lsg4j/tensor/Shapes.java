package org.lsg4j.tensor;

/** Small helpers on shapes. */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements of a shape; a 0-d shape holds one. */
    public static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d);
            }
            n *= d;
        }
        return n;
    }
}
