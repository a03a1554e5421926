package org.lsg4j.kernels;

import java.util.Arrays;

/**
 * The backward kernels of training, beside the forward kernels they invert: the two products of
 * a linear layer's backward pass, LayerNorm's and the activations' backward, and attention's
 * backward over a gathered key set. Every reduction runs in an order fixed by the shapes alone,
 * never by the thread split, so gradients are reproducible on any thread count.
 */
public final class Training {
    private static final int ROWS_PER_TASK = 64;
    /** Rows of the product dW += dy^T x done at a time, so that a chunk of x stays in cache. */
    private static final int KC = 256;

    private Training() {
    }

    /**
     * {@code dW += dy^T x} and {@code db += sum over rows of dy} for a linear layer y = x W^T + b.
     *
     * @param dy rows x out at {@code dy[dyOff]}
     * @param x  rows x in at {@code x[xOff]}; null when only db is wanted
     * @param dW out x in, row-major, accumulated; null for none
     * @param db out, accumulated; null for none
     */
    public static void weightGrad(Workers workers, float[] dy, int dyOff, int rows, int out, float[] x, int xOff,
                                  int in, float[] dW, float[] db) {
        if (db != null) {
            int tasks = (out + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
            workers.run(tasks, (task, worker) -> {
                int o1 = Math.min(out, (task + 1) * ROWS_PER_TASK);
                for (int o = task * ROWS_PER_TASK; o < o1; o++) {
                    float s = 0;
                    for (int r = 0; r < rows; r++) {
                        s += dy[dyOff + r * out + o];
                    }
                    db[o] += s;
                }
            });
        }
        if (dW == null) {
            return;
        }
        int mr = Gemm.MR;
        int nr = Gemm.NR;
        int blocks = (out + mr - 1) / mr;
        float[] dyT = new float[out * KC];   // the chunk's dy transposed: out x kc
        for (int k0 = 0; k0 < rows; k0 += KC) {
            int kc = Math.min(KC, rows - k0);
            int start = k0;
            workers.run((out + ROWS_PER_TASK - 1) / ROWS_PER_TASK, (task, worker) -> {
                int o1 = Math.min(out, (task + 1) * ROWS_PER_TASK);
                for (int o = task * ROWS_PER_TASK; o < o1; o++) {
                    for (int r = 0; r < kc; r++) {
                        dyT[o * kc + r] = dy[dyOff + (start + r) * out + o];
                    }
                }
            });
            workers.run(blocks, (task, worker) -> {
                int o = task * mr;
                int m = Math.min(mr, out - o);
                for (int col = 0; col < in; col += nr) {
                    Gemm.multiplyAdd(dyT, o * kc, kc, x, xOff + start * in + col, in, kc,
                            dW, o * in + col, in, m, Math.min(nr, in - col));
                }
            });
        }
    }

    /**
     * {@code dx = dy W} for a linear layer y = x W^T + b (dy rows x out, W out x in row-major),
     * written over dx or, with {@code accumulate}, added to it.
     */
    public static void inputGrad(Workers workers, float[] dy, int dyOff, int rows, int out, float[] w, int in,
                                 float[] dx, int dxOff, boolean accumulate) {
        int mr = Gemm.MR;
        int nr = Gemm.NR;
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        workers.run(tasks, (task, worker) -> {
            int r0 = task * ROWS_PER_TASK;
            int r1 = Math.min(rows, r0 + ROWS_PER_TASK);
            if (!accumulate) {
                Arrays.fill(dx, dxOff + r0 * in, dxOff + r1 * in, 0f);
            }
            for (int r = r0; r < r1; r += mr) {
                for (int col = 0; col < in; col += nr) {
                    Gemm.multiplyAdd(dy, dyOff + r * out, out, w, col, in, out,
                            dx, dxOff + r * in + col, in, Math.min(mr, r1 - r), Math.min(nr, in - col));
                }
            }
        });
    }

    /**
     * LayerNorm's backward pass. With {@code xhat = (h - mean) * rstd} (the biased variance, as
     * the forward), {@code dh = rstd * (g - mean(g) - xhat * mean(g * xhat))} where
     * {@code g = dy * weight}; {@code dWeight += sum dy * xhat}, {@code dBias += sum dy}.
     *
     * @param h  the forward input, rows x d at {@code h[hOff]}
     * @param dh written, rows x d; may be the same array and offset as dy
     * @param dWeight accumulated, or null; dBias likewise
     */
    public static void layerNormBackward(Workers workers, float[] h, int hOff, float[] dy, int dyOff, int rows, int d,
                                         float[] weight, double eps, float[] dh, int dhOff, float[] dWeight,
                                         float[] dBias) {
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        boolean params = dWeight != null || dBias != null;
        float[] partial = params ? new float[tasks * 2 * d] : null;
        workers.run(tasks, (task, worker) -> {
            float[] xhat = new float[d];
            int r1 = Math.min(rows, (task + 1) * ROWS_PER_TASK);
            for (int r = task * ROWS_PER_TASK; r < r1; r++) {
                int o = hOff + r * d;
                double sum = 0;
                for (int i = 0; i < d; i++) {
                    sum += h[o + i];
                }
                float mean = (float) (sum / d);
                double sq = 0;
                for (int i = 0; i < d; i++) {
                    double c = h[o + i] - mean;
                    sq += c * c;
                }
                float rstd = (float) (1.0 / Math.sqrt(sq / d + eps));
                double meanG = 0;
                double meanGx = 0;
                int g0 = dyOff + r * d;
                for (int i = 0; i < d; i++) {
                    xhat[i] = (h[o + i] - mean) * rstd;
                    float g = dy[g0 + i] * weight[i];
                    meanG += g;
                    meanGx += g * xhat[i];
                    if (params) {
                        partial[task * 2 * d + i] += dy[g0 + i] * xhat[i];
                        partial[task * 2 * d + d + i] += dy[g0 + i];
                    }
                }
                float mg = (float) (meanG / d);
                float mgx = (float) (meanGx / d);
                int out = dhOff + r * d;
                for (int i = 0; i < d; i++) {
                    float g = dy[g0 + i] * weight[i];
                    dh[out + i] = rstd * (g - mg - xhat[i] * mgx);
                }
            }
        });
        if (params) {
            for (int t = 0; t < tasks; t++) {
                for (int i = 0; i < d; i++) {
                    if (dWeight != null) {
                        dWeight[i] += partial[t * 2 * d + i];
                    }
                    if (dBias != null) {
                        dBias[i] += partial[t * 2 * d + d + i];
                    }
                }
            }
        }
    }

    /** Exact GELU's backward in place: {@code g[i] *= Phi(x) + x phi(x)} for the pre-activation x. */
    public static void geluBackward(Workers workers, float[] x, int xOff, float[] g, int gOff, int n) {
        elementwise(workers, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                double v = x[xOff + i];
                double cdf = 0.5 * (1 + Activations.erf(v / Math.sqrt(2)));
                double pdf = Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
                g[gOff + i] *= (float) (cdf + v * pdf);
            }
        });
    }

    /** The tanh approximation of GELU's backward in place, for the pre-activation x. */
    public static void geluTanhBackward(Workers workers, float[] x, int xOff, float[] g, int gOff, int n) {
        double c = Math.sqrt(2 / Math.PI);
        elementwise(workers, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                double v = x[xOff + i];
                double t = Math.tanh(c * (v + 0.044715 * v * v * v));
                double d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v);
                g[gOff + i] *= (float) d;
            }
        });
    }

    /** ReLU's backward in place: the gradient passes where the pre-activation was positive. */
    public static void reluBackward(Workers workers, float[] x, int xOff, float[] g, int gOff, int n) {
        elementwise(workers, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (!(x[xOff + i] > 0)) {
                    g[gOff + i] = 0f;
                }
            }
        });
    }

    /** tanh's backward in place from its output y: {@code g *= 1 - y^2}. */
    public static void tanhBackward(Workers workers, float[] y, int yOff, float[] g, int gOff, int n) {
        elementwise(workers, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = y[yOff + i];
                g[gOff + i] *= 1 - v * v;
            }
        });
    }

    private interface Range {
        void run(int from, int to);
    }

    private static void elementwise(Workers workers, int n, Range body) {
        int chunk = 16 * 1024;
        workers.run((n + chunk - 1) / chunk, (task, worker) ->
                body.run(task * chunk, Math.min(n, (task + 1) * chunk)));
    }

    /**
     * The backward pass of {@link Attention#attend} for one group of queries over gathered keys,
     * with the probabilities recomputed: {@code P = softmax(q k / sqrt(dh))}, {@code dV += P^T dO},
     * {@code dP = dO V^T}, {@code dS = P * (dP - rowsum(dP * P))}, {@code dq = dS K / sqrt(dh)}
     * (written), {@code dK += dS^T q / sqrt(dh)}.
     *
     * @param q      query i at {@code q[qOff + i * ldq]}
     * @param kt     the keys transposed, dh x ldk (as {@link Attention#attend} reads them)
     * @param v      the values, ldk x dh
     * @param dOut   the gradient of query i's output at {@code dOut[dOff + i * ldo]}
     * @param dq     query i's gradient written at {@code dq[dqOff + i * ldo]}
     * @param dk     nk x dh, accumulated: the gradient of each gathered key
     * @param dv     nk x dh, accumulated: the gradient of each gathered value
     * @param scores workspace of at least nk floats
     */
    public static void attentionBackward(float[] q, int qOff, int ldq, int nq, float[] kt, float[] v, int nk, int ldk,
                                         int dh, float[] dOut, int dOff, int ldo, float[] dq, int dqOff,
                                         float[] dk, float[] dv, float[] scores) {
        float scale = (float) (1.0 / Math.sqrt(dh));
        float[] dp = new float[nk];
        for (int i = 0; i < nq; i++) {
            int qi = qOff + i * ldq;
            for (int j = 0; j < nk; j++) {
                float s = 0;
                for (int e = 0; e < dh; e++) {
                    s += q[qi + e] * kt[e * ldk + j];
                }
                scores[j] = s;
            }
            Softmax.row(scores, 0, nk, nk, scale);
            int di = dOff + i * ldo;
            double dot = 0;
            for (int j = 0; j < nk; j++) {
                dp[j] = VectorMath.dot(dOut, di, v, j * dh, dh);
                dot += dp[j] * scores[j];
                VectorMath.axpy(scores[j], dOut, di, dv, j * dh, dh);
            }
            int qo = dqOff + i * ldo;
            Arrays.fill(dq, qo, qo + dh, 0f);
            for (int j = 0; j < nk; j++) {
                float ds = scores[j] * (dp[j] - (float) dot) * scale;
                for (int e = 0; e < dh; e++) {
                    dq[qo + e] += ds * kt[e * ldk + j];
                }
                VectorMath.axpy(ds, q, qi, dk, j * dh, dh);
            }
        }
    }
}
