package org.lsg4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Vectorised layernorm (with and without the residual), its training forward and its backward
 * against double-precision references; the reference backward against central differences.
 */
class NormTest {
    private static final double EPS = 1e-5;

    @Test
    void addLayerNormMatchesDouble() {
        for (int d : new int[]{1, 7, 64, 100, 768}) {
            SplittableRandom random = new SplittableRandom(d);
            int rows = 45;
            float[] x = GemmTest.values(random, rows * d);
            float[] res = GemmTest.values(random, rows * d);
            float[] w = GemmTest.values(random, d);
            float[] b = GemmTest.values(random, d);
            float[] y = x.clone();
            try (Workers workers = Workers.create(2)) {
                Norm.addLayerNorm(workers, y, 0, res, 0, rows, d, w, b, EPS);
            }
            for (int r = 0; r < rows; r++) {
                double[] s = new double[d];
                for (int i = 0; i < d; i++) {
                    s[i] = (double) x[r * d + i] + res[r * d + i];
                }
                double[] ref = forward(s, w, b);
                for (int i = 0; i < d; i++) {
                    assertEquals(ref[i], y[r * d + i], 2e-6, "d " + d + " at " + r + "," + i);
                }
            }
        }
    }

    @Test
    void trainingForwardKeepsInputAndStatistics() {
        for (int d : new int[]{1, 13, 768}) {
            SplittableRandom random = new SplittableRandom(d * 3L);
            int rows = 70;
            float[] x = GemmTest.values(random, rows * d);
            float[] res = GemmTest.values(random, rows * d);
            float[] w = GemmTest.values(random, d);
            float[] b = GemmTest.values(random, d);
            float[] inference = x.clone();
            float[] s = x.clone();
            float[] y = new float[rows * d];
            float[] mean = new float[rows + 1];
            float[] rstd = new float[rows + 1];
            float[] again = new float[rows];
            float[] againRstd = new float[rows];
            try (Workers workers = Workers.create(3)) {
                Norm.addLayerNorm(workers, inference, 0, res, 0, rows, d, w, b, EPS);
                Norm.addLayerNorm(workers, s, 0, res, 0, rows, d, w, b, EPS, y, 0, mean, rstd, 1);
                Norm.statistics(workers, s, 0, rows, d, EPS, again, againRstd);
            }
            assertArrayEquals(inference, y, "the output is the inference form's");
            assertArrayEquals(Arrays.copyOfRange(mean, 1, rows + 1), again, "recomputed means are the kept ones");
            assertArrayEquals(Arrays.copyOfRange(rstd, 1, rows + 1), againRstd, "recomputed rstd are the kept ones");
            for (int r = 0; r < rows; r++) {
                double m = 0;
                for (int i = 0; i < d; i++) {
                    assertEquals(x[r * d + i] + res[r * d + i], s[r * d + i]);
                    m += s[r * d + i];
                }
                m /= d;
                double v = 0;
                for (int i = 0; i < d; i++) {
                    v += (s[r * d + i] - m) * (s[r * d + i] - m);
                }
                assertEquals(m, mean[r + 1], 1e-6);
                assertEquals(1 / Math.sqrt(v / d + EPS), rstd[r + 1], 1e-6 * rstd[r + 1]);
            }
        }
    }

    @Test
    void backwardMatchesDouble() {
        for (int d : new int[]{1, 7, 64, 100, 768}) {
            SplittableRandom random = new SplittableRandom(d * 7L);
            int rows = 2 * Norm.BACKWARD_ROWS + 5;
            float[] s = GemmTest.values(random, rows * d);
            float[] dy = GemmTest.values(random, rows * d);
            float[] w = GemmTest.values(random, d);
            float[] b = GemmTest.values(random, d);
            float[] dw0 = GemmTest.values(random, d);
            float[] db0 = GemmTest.values(random, d);
            float[] mean = new float[rows];
            float[] rstd = new float[rows];
            float[] y = new float[rows * d];
            float[] input = s.clone();
            float[][] dxs = new float[3][];
            float[][] dws = new float[3][];
            float[][] dbs = new float[3][];
            int[] threads = {1, 2, 3};
            for (int t = 0; t < threads.length; t++) {
                try (Workers workers = Workers.create(threads[t])) {
                    Norm.addLayerNorm(workers, input, 0, null, 0, rows, d, w, b, EPS, y, 0, mean, rstd, 0);
                    dws[t] = dw0.clone();
                    dbs[t] = db0.clone();
                    dxs[t] = dy.clone();   // in place: dx overwrites dy
                    Norm.layerNormBackward(workers, dxs[t], 0, input, 0, mean, rstd, 0, rows, d, w, dxs[t], 0, dws[t], dbs[t]);
                }
            }
            for (int t = 1; t < threads.length; t++) {
                assertArrayEquals(dxs[0], dxs[t]);
                assertArrayEquals(dws[0], dws[t]);
                assertArrayEquals(dbs[0], dbs[t]);
            }
            double[] dw = new double[d];
            double[] db = new double[d];
            for (int r = 0; r < rows; r++) {
                double[] row = new double[d];
                double[] g = new double[d];
                for (int i = 0; i < d; i++) {
                    row[i] = s[r * d + i];
                    g[i] = dy[r * d + i];
                }
                double[] dx = backward(row, g, w, dw, db);
                for (int i = 0; i < d; i++) {
                    // about rstd (1.7 here) x |terms| (up to 3) x a few float roundings
                    assertEquals(dx[i], dxs[0][r * d + i], 5e-6, "dx d " + d + " at " + r + "," + i);
                }
            }
            for (int i = 0; i < d; i++) {
                assertEquals(dw0[i] + dw[i], dws[0][i], 1e-5 * rows, "dweight " + i);
                assertEquals(db0[i] + db[i], dbs[0][i], 1e-6 * rows, "dbias " + i);
            }
        }
    }

    @Test
    void referenceBackwardMatchesCentralDifferences() {
        SplittableRandom random = new SplittableRandom(11);
        int d = 9;
        double[] s = new double[d];
        double[] dy = new double[d];
        float[] w = GemmTest.values(random, d);
        float[] b = GemmTest.values(random, d);
        for (int i = 0; i < d; i++) {
            s[i] = random.nextDouble() * 2 - 1;
            dy[i] = random.nextDouble() * 2 - 1;
        }
        double[] dw = new double[d];
        double[] db = new double[d];
        double[] dx = backward(s, dy, w, dw, db);
        double h = 1e-6;
        for (int i = 0; i < d; i++) {
            double[] plus = s.clone();
            double[] minus = s.clone();
            plus[i] += h;
            minus[i] -= h;
            assertEquals((dot(forward(plus, w, b), dy) - dot(forward(minus, w, b), dy)) / (2 * h), dx[i], 1e-6);
        }
        // y is linear in weight and bias: dL/dw_i = dy_i xhat_i, dL/db_i = dy_i
        double[] xhat = forward(s, ones(d), new float[d]);
        for (int i = 0; i < d; i++) {
            assertEquals(dy[i] * xhat[i], dw[i], 1e-12);
            assertEquals(dy[i], db[i], 1e-12);
        }
    }

    private static float[] ones(int d) {
        float[] o = new float[d];
        java.util.Arrays.fill(o, 1f);
        return o;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** LayerNorm of one row in double. */
    private static double[] forward(double[] s, float[] w, float[] b) {
        int d = s.length;
        double mean = 0;
        for (double v : s) {
            mean += v;
        }
        mean /= d;
        double var = 0;
        for (double v : s) {
            var += (v - mean) * (v - mean);
        }
        double rstd = 1 / Math.sqrt(var / d + EPS);
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            y[i] = (s[i] - mean) * rstd * w[i] + b[i];
        }
        return y;
    }

    /** The gradient of one row in double; adds the row's weight and bias gradients to dw, db. */
    private static double[] backward(double[] s, double[] dy, float[] w, double[] dw, double[] db) {
        int d = s.length;
        double[] xhat = forward(s, ones(d), new float[d]);
        double mean = 0;
        for (double v : s) {
            mean += v;
        }
        mean /= d;
        double var = 0;
        for (double v : s) {
            var += (v - mean) * (v - mean);
        }
        double rstd = 1 / Math.sqrt(var / d + EPS);
        double mg = 0;
        double mgx = 0;
        for (int i = 0; i < d; i++) {
            mg += dy[i] * w[i] / d;
            mgx += dy[i] * w[i] * xhat[i] / d;
            dw[i] += dy[i] * xhat[i];
            db[i] += dy[i];
        }
        double[] dx = new double[d];
        for (int i = 0; i < d; i++) {
            dx[i] = rstd * (dy[i] * w[i] - mg - xhat[i] * mgx);
        }
        return dx;
    }
}
