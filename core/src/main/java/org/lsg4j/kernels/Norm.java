package org.lsg4j.kernels;

/** Layer normalisation over the last dimension. */
public final class Norm {
    private Norm() {
    }

    /**
     * Normalises each of {@code rows} rows of length {@code d} in place:
     * {@code (x - mean) / sqrt(var + eps) * weight + bias}, with the biased variance; statistics in double.
     */
    public static void layerNorm(float[] x, int offset, int rows, int d, float[] weight, float[] bias, double eps) {
        for (int r = 0; r < rows; r++) {
            int o = offset + r * d;
            double sum = 0;
            for (int i = 0; i < d; i++) {
                sum += x[o + i];
            }
            double mean = sum / d;
            double sq = 0;
            for (int i = 0; i < d; i++) {
                double c = x[o + i] - mean;
                sq += c * c;
            }
            double inv = 1.0 / Math.sqrt(sq / d + eps);
            for (int i = 0; i < d; i++) {
                x[o + i] = (float) ((x[o + i] - mean) * inv * weight[i] + bias[i]);
            }
        }
    }
}
