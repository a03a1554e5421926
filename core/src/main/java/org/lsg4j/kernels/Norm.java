package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Layer normalisation over the last dimension, vectorised. */
public final class Norm {
    private static final VectorSpecies<Float> F = VectorMath.F;
    private static final int ROWS_PER_TASK = 32;

    private Norm() {
    }

    /**
     * Normalises each of {@code rows} rows of length {@code d} in place:
     * {@code (x - mean) / sqrt(var + eps) * weight + bias}, with the biased variance.
     */
    public static void layerNorm(float[] x, int offset, int rows, int d, float[] weight, float[] bias, double eps) {
        for (int r = 0; r < rows; r++) {
            normRow(x, offset + r * d, null, 0, d, weight, bias, eps);
        }
    }

    /**
     * {@code x = LayerNorm(x + residual)} row by row on the workers (residual null: no addition).
     *
     * @param x        rows x d at {@code x[xOff]}
     * @param residual rows x d at {@code residual[rOff]}, or null
     */
    public static void addLayerNorm(Workers workers, float[] x, int xOff, float[] residual, int rOff, int rows, int d,
                                    float[] weight, float[] bias, double eps) {
        workers.run((rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK, (task, worker) -> {
            int end = Math.min(rows, (task + 1) * ROWS_PER_TASK);
            for (int r = task * ROWS_PER_TASK; r < end; r++) {
                normRow(x, xOff + r * d, residual, rOff + r * d, d, weight, bias, eps);
            }
        });
    }

    private static void normRow(float[] x, int o, float[] residual, int ro, int d, float[] weight, float[] bias,
                                double eps) {
        int upper = F.loopBound(d);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < upper; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, o + i);
            if (residual != null) {
                v = v.add(FloatVector.fromArray(F, residual, ro + i));
                v.intoArray(x, o + i);
            }
            acc = acc.add(v);
        }
        double sum = VectorMath.sum(acc);
        for (; i < d; i++) {
            if (residual != null) {
                x[o + i] += residual[ro + i];
            }
            sum += x[o + i];
        }
        float mean = (float) (sum / d);
        FloatVector vm = FloatVector.broadcast(F, mean);
        acc = FloatVector.zero(F);
        for (i = 0; i < upper; i += F.length()) {
            FloatVector c = FloatVector.fromArray(F, x, o + i).sub(vm);
            acc = c.fma(c, acc);
        }
        double sq = VectorMath.sum(acc);
        for (; i < d; i++) {
            double c = x[o + i] - mean;
            sq += c * c;
        }
        float inv = (float) (1.0 / Math.sqrt(sq / d + eps));
        for (i = 0; i < upper; i += F.length()) {
            FloatVector.fromArray(F, x, o + i).sub(vm).mul(inv)
                    .fma(FloatVector.fromArray(F, weight, i), FloatVector.fromArray(F, bias, i))
                    .intoArray(x, o + i);
        }
        for (; i < d; i++) {
            x[o + i] = (x[o + i] - mean) * inv * weight[i] + bias[i];
        }
    }
}
