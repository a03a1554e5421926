package org.lsg4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each backward kernel against the derivative of its forward computed in float64: naive double
 * loops for the products, and central finite differences of a float64 forward for LayerNorm,
 * attention and the activations, on small odd shapes (edge tiles, lengths that are not multiples
 * of the vector width), on two workers.
 */
class TrainingKernelsTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(11);

    private static float[] random(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) RANDOM.nextGaussian();
        }
        return x;
    }

    private static void assertNear(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(expected - actual) <= tol * (1 + Math.abs(expected)), what + ": " + actual + " vs " + expected);
    }

    @Test
    void linearLayerProducts() {
        int rows = 37;
        int in = 19;
        int out = 23;
        float[] x = random(rows * in);
        float[] dy = random(rows * out);
        float[] w = random(out * in);
        float[] dW = random(out * in);
        float[] dW0 = dW.clone();
        float[] db = new float[out];
        float[] dx = new float[rows * in];
        try (Workers workers = Workers.create(2)) {
            Training.weightGrad(workers, dy, 0, rows, out, x, 0, in, dW, db);
            Training.inputGrad(workers, dy, 0, rows, out, w, in, dx, 0, false);
        }
        for (int o = 0; o < out; o++) {
            double sb = 0;
            for (int r = 0; r < rows; r++) {
                sb += dy[r * out + o];
            }
            assertNear(sb, db[o], 1e-5, "db[" + o + "]");
            for (int i = 0; i < in; i++) {
                double s = dW0[o * in + i];
                for (int r = 0; r < rows; r++) {
                    s += (double) dy[r * out + o] * x[r * in + i];
                }
                assertNear(s, dW[o * in + i], 1e-5, "dW");
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                double s = 0;
                for (int o = 0; o < out; o++) {
                    s += (double) dy[r * out + o] * w[o * in + i];
                }
                assertNear(s, dx[r * in + i], 1e-5, "dx");
            }
        }
    }

    @Test
    void layerNormAgainstFiniteDifferences() {
        int rows = 5;
        int d = 13;
        double eps = 1e-5;
        float[] h = random(rows * d);
        float[] gamma = random(d);
        float[] dy = random(rows * d);
        float[] dh = new float[rows * d];
        float[] dGamma = new float[d];
        float[] dBeta = new float[d];
        try (Workers workers = Workers.create(2)) {
            Training.layerNormBackward(workers, h, 0, dy, 0, rows, d, gamma, eps, dh, 0, dGamma, dBeta);
        }
        double[] x = new double[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = h[i];
        }
        double step = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + step;
            double up = layerNormDot(x, gamma, dy, rows, d, eps);
            x[i] = keep - step;
            double down = layerNormDot(x, gamma, dy, rows, d, eps);
            x[i] = keep;
            assertNear((up - down) / (2 * step), dh[i], 1e-4, "dh[" + i + "]");
        }
    }

    /** sum(dy * LayerNorm(x)) in double, with bias zero. */
    private static double layerNormDot(double[] x, float[] gamma, float[] dy, int rows, int d, double eps) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += x[r * d + i];
            }
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                var += (x[r * d + i] - mean) * (x[r * d + i] - mean);
            }
            var /= d;
            for (int i = 0; i < d; i++) {
                total += dy[r * d + i] * gamma[i] * (x[r * d + i] - mean) / Math.sqrt(var + eps);
            }
        }
        return total;
    }

    @Test
    void activationsAgainstFiniteDifferences() {
        float[] x = random(101);
        DoubleUnaryOperator gelu = v -> 0.5 * v * (1 + Activations.erf(v / Math.sqrt(2)));
        DoubleUnaryOperator geluTanh = v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
        try (Workers workers = Workers.create(2)) {
            float[] g = new float[x.length];
            java.util.Arrays.fill(g, 1f);
            Training.geluBackward(workers, x, 0, g, 0, x.length);
            checkDerivative(gelu, x, g, "gelu");
            java.util.Arrays.fill(g, 1f);
            Training.geluTanhBackward(workers, x, 0, g, 0, x.length);
            checkDerivative(geluTanh, x, g, "gelu_new");
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = (float) Math.tanh(x[i]);
            }
            java.util.Arrays.fill(g, 1f);
            Training.tanhBackward(workers, y, 0, g, 0, x.length);
            checkDerivative(Math::tanh, x, g, "tanh");
        }
    }

    private static void checkDerivative(DoubleUnaryOperator f, float[] x, float[] g, String what) {
        double step = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double fd = (f.applyAsDouble(x[i] + step) - f.applyAsDouble(x[i] - step)) / (2 * step);
            assertNear(fd, g[i], 2e-6, what + "'(" + x[i] + ")");
        }
    }

    @Test
    void attentionAgainstFiniteDifferences() {
        int nq = 7;
        int nk = 11;
        int dh = 5;
        int ldk = Attention.paddedKeys(nk);
        float[] q = random(nq * dh);
        float[] k = random(nk * dh);
        float[] kt = new float[dh * ldk];
        for (int j = 0; j < nk; j++) {
            for (int e = 0; e < dh; e++) {
                kt[e * ldk + j] = k[j * dh + e];
            }
        }
        float[] v = random(ldk * dh + Gemm.NR);
        java.util.Arrays.fill(v, nk * dh, v.length, 0f);
        float[] dOut = random(nq * dh);
        float[] dq = new float[nq * dh];
        float[] dk = new float[nk * dh];
        float[] dv = new float[nk * dh];
        Training.attentionBackward(q, 0, dh, nq, kt, v, nk, ldk, dh, dOut, 0, dh, dq, 0, dk, dv, new float[ldk]);
        double step = 1e-6;
        double[][] arrays = {toDouble(q), toDouble(k), toDouble(v)};
        float[][] grads = {dq, dk, dv};
        String[] names = {"dq", "dk", "dv"};
        for (int a = 0; a < 3; a++) {
            int n = a == 2 ? nk * dh : arrays[a].length;
            for (int i = 0; i < n; i++) {
                double keep = arrays[a][i];
                arrays[a][i] = keep + step;
                double up = attentionDot(arrays[0], arrays[1], arrays[2], dOut, nq, nk, dh);
                arrays[a][i] = keep - step;
                double down = attentionDot(arrays[0], arrays[1], arrays[2], dOut, nq, nk, dh);
                arrays[a][i] = keep;
                assertNear((up - down) / (2 * step), grads[a][i], 1e-4, names[a] + "[" + i + "]");
            }
        }
    }

    private static double[] toDouble(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    /** sum(dOut * softmax(q k^T / sqrt(dh)) v) in double. */
    private static double attentionDot(double[] q, double[] k, double[] v, float[] dOut, int nq, int nk, int dh) {
        double total = 0;
        for (int i = 0; i < nq; i++) {
            double[] s = new double[nk];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < nk; j++) {
                for (int e = 0; e < dh; e++) {
                    s[j] += q[i * dh + e] * k[j * dh + e];
                }
                s[j] /= Math.sqrt(dh);
                max = Math.max(max, s[j]);
            }
            double sum = 0;
            for (int j = 0; j < nk; j++) {
                s[j] = Math.exp(s[j] - max);
                sum += s[j];
            }
            for (int j = 0; j < nk; j++) {
                for (int e = 0; e < dh; e++) {
                    total += dOut[i * dh + e] * s[j] / sum * v[j * dh + e];
                }
            }
        }
        return total;
    }
}
