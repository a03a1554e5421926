package org.lsg4j.kernels;

/** Softmax pieces. */
public final class Softmax {
    private Softmax() {
    }

    /** Replaces {@code x[0..n)} by {@code exp(x - max)} and returns their sum. */
    public static float expInPlace(float[] x, int n, float max) {
        float sum = 0;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(x[j] - max);
            x[j] = e;
            sum += e;
        }
        return sum;
    }
}
