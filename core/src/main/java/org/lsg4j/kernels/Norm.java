package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalisation over the last dimension, vectorised: the inference forms (in place), the
 * training forward that keeps what the backward needs, and the backward. With biased variance,
 * {@code xhat = (x - mean) * rstd}, {@code rstd = 1 / sqrt(var + eps)}, {@code y = xhat * weight + bias}.
 */
public final class Norm {
    private static final VectorSpecies<Float> F = VectorMath.F;
    private static final int L = F.length();
    private static final int ROWS_PER_TASK = 32;
    /** Rows whose weight and bias gradients the backward sums together before adding them, in row order. */
    static final int BACKWARD_ROWS = 64;

    private Norm() {
    }

    /**
     * Normalises each of {@code rows} rows of length {@code d} in place:
     * {@code (x - mean) / sqrt(var + eps) * weight + bias}, with the biased variance.
     */
    public static void layerNorm(float[] x, int offset, int rows, int d, float[] weight, float[] bias, double eps) {
        for (int r = 0; r < rows; r++) {
            normRow(x, offset + r * d, null, 0, d, weight, bias, eps, x, offset + r * d, null, null, 0);
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
        addLayerNorm(workers, x, xOff, residual, rOff, rows, d, weight, bias, eps, x, xOff, null, null, 0);
    }

    /**
     * The training forward of {@code y = LayerNorm(x + residual)} (residual null: {@code LayerNorm(x)}),
     * row by row on the workers. It leaves in x the norm's input {@code x + residual}, which
     * {@link #layerNormBackward} reads, and the row statistics in mean and rstd; the output goes to
     * y, which may be x itself when the input is not needed afterwards.
     *
     * @param x    rows x d at {@code x[xOff]}: becomes x + residual
     * @param y    rows x d at {@code y[yOff]}: overwritten with the output
     * @param mean row r's mean written at {@code mean[statOff + r]}, or null (then rstd is null too)
     * @param rstd row r's {@code 1 / sqrt(var + eps)} written at {@code rstd[statOff + r]}
     */
    public static void addLayerNorm(Workers workers, float[] x, int xOff, float[] residual, int rOff, int rows, int d,
                                    float[] weight, float[] bias, double eps, float[] y, int yOff, float[] mean,
                                    float[] rstd, int statOff) {
        workers.run((rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK, (task, worker) -> {
            int end = Math.min(rows, (task + 1) * ROWS_PER_TASK);
            for (int r = task * ROWS_PER_TASK; r < end; r++) {
                normRow(x, xOff + r * d, residual, rOff + r * d, d, weight, bias, eps, y, yOff + r * d, mean, rstd,
                        statOff + r);
            }
        });
    }

    private static void normRow(float[] x, int o, float[] residual, int ro, int d, float[] weight, float[] bias,
                                double eps, float[] y, int yo, float[] means, float[] rstds, int stat) {
        int upper = F.loopBound(d);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < upper; i += L) {
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
        float inv = rstd(x, o, d, mean, eps);
        if (means != null) {
            means[stat] = mean;
            rstds[stat] = inv;
        }
        for (i = 0; i < upper; i += L) {
            FloatVector.fromArray(F, x, o + i).sub(vm).mul(inv)
                    .fma(FloatVector.fromArray(F, weight, i), FloatVector.fromArray(F, bias, i))
                    .intoArray(y, yo + i);
        }
        for (; i < d; i++) {
            y[yo + i] = (x[o + i] - mean) * inv * weight[i] + bias[i];
        }
    }

    /** {@code 1 / sqrt(var + eps)} of the d values from {@code x[o]} whose mean is given (biased variance). */
    private static float rstd(float[] x, int o, int d, float mean, double eps) {
        int upper = F.loopBound(d);
        FloatVector vm = FloatVector.broadcast(F, mean);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector c = FloatVector.fromArray(F, x, o + i).sub(vm);
            acc = c.fma(c, acc);
        }
        double sq = VectorMath.sum(acc);
        for (; i < d; i++) {
            double c = x[o + i] - mean;
            sq += c * c;
        }
        return (float) (1.0 / Math.sqrt(sq / d + eps));
    }

    /**
     * The row statistics {@link #addLayerNorm} keeps in training, recomputed from the norm's input
     * s (rows x d at {@code s[sOff]}): the same floats, for a backward whose forward did not keep them.
     */
    public static void statistics(Workers workers, float[] s, int sOff, int rows, int d, double eps, float[] mean,
                                  float[] rstd) {
        workers.run((rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK, (task, worker) -> {
            int end = Math.min(rows, (task + 1) * ROWS_PER_TASK);
            for (int r = task * ROWS_PER_TASK; r < end; r++) {
                int o = sOff + r * d;
                int upper = F.loopBound(d);
                FloatVector acc = FloatVector.zero(F);
                int i = 0;
                for (; i < upper; i += L) {
                    acc = acc.add(FloatVector.fromArray(F, s, o + i));
                }
                double sum = VectorMath.sum(acc);
                for (; i < d; i++) {
                    sum += s[o + i];
                }
                mean[r] = (float) (sum / d);
                rstd[r] = rstd(s, o, d, mean[r], eps);
            }
        });
    }

    /**
     * The backward of {@code y = LayerNorm(s)} given the training forward's input s and statistics:
     * {@code dx = rstd * (g - mean(g) - xhat * mean(g * xhat))} with {@code g = dy * weight}, and the
     * parameter gradients {@code dweight += sum_r dy * xhat}, {@code dbias += sum_r dy}. In the
     * fused form {@code y = LayerNorm(x + residual)} the gradient of x and of the residual are both
     * dx: the caller adds it to both branches. The parameter gradients are summed over fixed blocks
     * of {@link #BACKWARD_ROWS} rows, then the blocks in order: the same floats on any thread count.
     *
     * @param dy      rows x d at {@code dy[dyOff]}
     * @param s       rows x d at {@code s[sOff]}: the norm's input (x after the training forward)
     * @param mean    row r's mean at {@code mean[statOff + r]}, rstd likewise
     * @param dx      rows x d at {@code dx[dxOff]}: overwritten; may be dy itself (same offset)
     * @param dweight d values, accumulated
     * @param dbias   d values, accumulated
     */
    public static void layerNormBackward(Workers workers, float[] dy, int dyOff, float[] s, int sOff, float[] mean,
                                         float[] rstd, int statOff, int rows, int d, float[] weight, float[] dx,
                                         int dxOff, float[] dweight, float[] dbias) {
        int blocks = (rows + BACKWARD_ROWS - 1) / BACKWARD_ROWS;
        float[] partial = new float[blocks * 2 * d];   // block b: dweight then dbias
        workers.run(blocks, (block, worker) -> {
            int end = Math.min(rows, (block + 1) * BACKWARD_ROWS);
            int p = block * 2 * d;
            for (int r = block * BACKWARD_ROWS; r < end; r++) {
                backwardRow(dy, dyOff + r * d, s, sOff + r * d, mean[statOff + r], rstd[statOff + r], d, weight,
                        dx, dxOff + r * d, partial, p, p + d);
            }
        });
        int cols = 4 * L;
        workers.run((d + cols - 1) / cols, (task, worker) -> {
            int end = Math.min(d, (task + 1) * cols);
            for (int i = task * cols; i < end; i++) {
                float w = dweight[i];
                float b = dbias[i];
                for (int block = 0; block < blocks; block++) {
                    w += partial[block * 2 * d + i];
                    b += partial[block * 2 * d + d + i];
                }
                dweight[i] = w;
                dbias[i] = b;
            }
        });
    }

    private static void backwardRow(float[] dy, int go, float[] s, int so, float mean, float rstd, int d,
                                    float[] weight, float[] dx, int dxo, float[] partial, int pw, int pb) {
        int upper = F.loopBound(d);
        FloatVector vm = FloatVector.broadcast(F, mean);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector xhat = FloatVector.fromArray(F, s, so + i).sub(vm).mul(rstd);
            FloatVector g = FloatVector.fromArray(F, dy, go + i);
            g.fma(xhat, FloatVector.fromArray(F, partial, pw + i)).intoArray(partial, pw + i);
            g.add(FloatVector.fromArray(F, partial, pb + i)).intoArray(partial, pb + i);
        }
        for (; i < d; i++) {
            float xhat = (s[so + i] - mean) * rstd;
            partial[pw + i] = Math.fma(dy[go + i], xhat, partial[pw + i]);
            partial[pb + i] += dy[go + i];
        }
        // the row's two sums cancel to small values that dx then subtracts: summed in double, in
        // index order (in float32 lanes they lost up to 2x the gradient fixtures' tolerance on
        // 256-bit vectors, where the float32 reference itself stays within 0.55 of it)
        double sumG = 0;
        double sumGx = 0;
        for (i = 0; i < d; i++) {
            double g = (double) dy[go + i] * weight[i];
            sumG += g;
            sumGx += g * ((s[so + i] - mean) * rstd);
        }
        float meanG = (float) (sumG / d);
        float meanGx = (float) (sumGx / d);
        FloatVector vg = FloatVector.broadcast(F, meanG);
        FloatVector vgx = FloatVector.broadcast(F, meanGx);
        for (i = 0; i < upper; i += L) {
            FloatVector xhat = FloatVector.fromArray(F, s, so + i).sub(vm).mul(rstd);
            FloatVector g = FloatVector.fromArray(F, dy, go + i).mul(FloatVector.fromArray(F, weight, i));
            xhat.neg().fma(vgx, g.sub(vg)).mul(rstd).intoArray(dx, dxo + i);
        }
        for (; i < d; i++) {
            float xhat = (s[so + i] - mean) * rstd;
            float g = dy[go + i] * weight[i];
            dx[dxo + i] = Math.fma(-xhat, meanGx, g - meanG) * rstd;
        }
    }
}
