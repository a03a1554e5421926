package org.lsg4j.kernels;

import org.junit.jupiter.api.Test;
import org.lsg4j.LsgException;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The packed GEMM on every micro-tile and several thread counts, on shapes with every kind of
 * remainder: against a plain triple loop in double, and bit for bit against one fused
 * multiply-add per product in increasing k (the summation order the kernels promise).
 */
class GemmTest {
    private static final int[] THREADS = {1, 2, 3};

    @Test
    void theTileFollowsTheVectorWidthUnlessForced() {
        assertEquals(Gemm.F.vectorByteSize() >= 64 ? "12x2" : "5x2", Gemm.select(null).name());
        assertEquals("8x3", Gemm.select("8x3").name());
        LsgException e = assertThrows(LsgException.class, () -> Gemm.select("6x2"));
        assertEquals("system property lsg4j.gemm.tile: expected 5x2, 12x2 or 8x3, found 6x2", e.getMessage());
    }

    @Test
    void linearMatchesNaiveOnOddShapes() {
        int[][] shapes = {{1, 1, 1}, {5, 7, 3}, {6, 16, 16}, {13, 300, 33}, {73, 257, 49}, {150, 768, 40},
            {7, 513, 800}, {200, 37, 97}};
        for (int[] s : shapes) {
            for (boolean withBias : new boolean[]{true, false}) {
                int rows = s[0];
                int in = s[1];
                int out = s[2];
                SplittableRandom random = new SplittableRandom(rows * 31L + in * 7L + out);
                float[] x = values(random, rows * in);
                float[] w = values(random, out * in);
                float[] bias = withBias ? values(random, out) : null;
                float[] start = new float[rows * out];
                for (int r = 0; r < rows; r++) {
                    for (int o = 0; o < out; o++) {
                        start[r * out + o] = bias == null ? 0f : bias[o];
                    }
                }
                float[] expected = fmaChain(rows, out, in, x, 0, in, 1, w, 0, 1, in, start);
                assertClose(naive(rows, out, in, x, in, 1, w, 1, in, start), expected, in, "linear " + shape(s));
                for (Gemm.Tile t : Gemm.TILES) {
                    PackedWeights p = PackedWeights.pack(w, bias, in, out, t.width());
                    for (int threads : THREADS) {
                        float[] y = new float[rows * out + 3];
                        y[rows * out + 2] = 42f;   // past the output: must stay
                        java.util.Arrays.fill(y, 0, rows * out, Float.NaN);   // overwritten, never read
                        try (Workers workers = Workers.create(threads)) {
                            Gemm.linear(t, workers, p, x, 0, rows, y, 0, true);
                        }
                        assertArrayEquals(expected, java.util.Arrays.copyOf(y, rows * out),
                                "linear " + shape(s) + " tile " + t.name() + " threads " + threads);
                        assertEquals(42f, y[rows * out + 2]);
                    }
                }
            }
        }
    }

    @Test
    void linearAddOfTransposedWeightsIsTheInputGradient() {
        int[][] shapes = {{1, 1, 1}, {9, 5, 40}, {61, 33, 70}, {130, 768, 100}};
        for (int[] s : shapes) {
            int rows = s[0];
            int in = s[1];
            int out = s[2];
            SplittableRandom random = new SplittableRandom(rows + in * 3L + out * 11L);
            float[] dy = values(random, rows * out);
            float[] w = values(random, out * in);
            float[] dx0 = values(random, rows * in);
            // dX (rows x in) += dY (rows x out) W (out x in): B(kk = o, j = i) = W[o][i]
            float[] expected = fmaChain(rows, in, out, dy, 0, out, 1, w, 0, in, 1, dx0);
            assertClose(naive(rows, in, out, dy, out, 1, w, in, 1, dx0), expected, out, "dX " + shape(s));
            for (Gemm.Tile t : Gemm.TILES) {
                PackedWeights wt = PackedWeights.transposed(w, in, out, t.width());
                for (int threads : THREADS) {
                    float[] dx = dx0.clone();
                    try (Workers workers = Workers.create(threads)) {
                        Gemm.linear(t, workers, wt, dy, 0, rows, dx, 0, false);
                    }
                    assertArrayEquals(expected, dx, "dX " + shape(s) + " tile " + t.name() + " threads " + threads);
                }
            }
        }
    }

    @Test
    void weightGradientSumsRowsInOrder() {
        // rows x out x in
        int[][] shapes = {{1, 1, 1}, {7, 3, 5}, {517, 33, 47}, {1000, 100, 1}, {300, 1, 70}, {2049, 97, 129}};
        for (int[] s : shapes) {
            int rows = s[0];
            int out = s[1];
            int in = s[2];
            SplittableRandom random = new SplittableRandom(rows * 5L + out * 13L + in);
            float[] dy = values(random, rows * out);
            float[] x = values(random, rows * in);
            int off = 3;
            float[] dw0 = values(random, off + out * in);
            // dW (out x in) += dY^T (out x rows) X (rows x in): A(o, r) = dy[r][o], B(r, i) = x[r][i]
            float[] expected = fmaChain(out, in, rows, dy, 0, 1, out, x, 0, in, 1,
                    java.util.Arrays.copyOfRange(dw0, off, off + out * in));
            assertClose(naive(out, in, rows, dy, 1, out, x, in, 1, java.util.Arrays.copyOfRange(dw0, off, off + out * in)),
                    expected, rows, "dW " + shape(s));
            for (Gemm.Tile t : Gemm.TILES) {
                for (int threads : THREADS) {
                    float[] dw = dw0.clone();
                    try (Workers workers = Workers.create(threads)) {
                        Gemm.weightGradient(t, workers, dy, 0, x, 0, rows, out, in, dw, off);
                    }
                    assertArrayEquals(expected, java.util.Arrays.copyOfRange(dw, off, off + out * in),
                            "dW " + shape(s) + " tile " + t.name() + " threads " + threads);
                    assertArrayEquals(java.util.Arrays.copyOf(dw0, off), java.util.Arrays.copyOf(dw, off));
                }
            }
        }
    }

    @Test
    void biasGradientSumsRowsInOrder() {
        for (int[] s : new int[][]{{1, 1}, {5, 17}, {1001, 768}, {333, 101}}) {
            int rows = s[0];
            int out = s[1];
            SplittableRandom random = new SplittableRandom(rows + 7L * out);
            float[] dy = values(random, rows * out);
            float[] db0 = values(random, out + 2);
            float[] expected = db0.clone();
            double[] exact = new double[out];
            for (int o = 0; o < out; o++) {
                exact[o] = db0[o + 1];
                for (int r = 0; r < rows; r++) {
                    expected[o + 1] += dy[r * out + o];
                    exact[o] += dy[r * out + o];
                }
                assertEquals(exact[o], expected[o + 1], 1e-6 * rows);
            }
            for (int threads : THREADS) {
                float[] db = db0.clone();
                try (Workers workers = Workers.create(threads)) {
                    Gemm.biasGradient(workers, dy, 0, rows, out, db, 1);
                }
                assertArrayEquals(expected, db, "db " + rows + "x" + out + " threads " + threads);
            }
        }
    }

    @Test
    void packedRowsAndSharedPanels() {
        SplittableRandom random = new SplittableRandom(3);
        float[] w = values(random, 37 * 11);
        PackedWeights p = PackedWeights.pack(w, null, 11, 37);
        float[] row = new float[11];
        for (int o = 0; o < 37; o++) {
            p.copyRow(o, row, 0);
            for (int i = 0; i < 11; i++) {
                assertEquals(w[o * 11 + i], row[i]);
            }
        }
        PackedWeights withBias = p.withBias(values(random, 37));
        assertEquals(p.panels(), withBias.panels());
    }

    /**
     * C (m x n) = start + A B with A(r, kk) = a[ao + r * ars + kk * aks] and B(kk, j) =
     * b[bo + kk * bks + j * bjs], one Math.fma per product in increasing kk.
     */
    static float[] fmaChain(int m, int n, int k, float[] a, int ao, int ars, int aks, float[] b, int bo, int bks,
                            int bjs, float[] start) {
        float[] c = start.clone();
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                float s = c[r * n + j];
                for (int kk = 0; kk < k; kk++) {
                    s = Math.fma(a[ao + r * ars + kk * aks], b[bo + kk * bks + j * bjs], s);
                }
                c[r * n + j] = s;
            }
        }
        return c;
    }

    /** The same product in double. */
    static double[] naive(int m, int n, int k, float[] a, int ars, int aks, float[] b, int bks, int bjs, float[] start) {
        double[] c = new double[m * n];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                double s = start[r * n + j];
                for (int kk = 0; kk < k; kk++) {
                    s += (double) a[r * ars + kk * aks] * b[kk * bks + j * bjs];
                }
                c[r * n + j] = s;
            }
        }
        return c;
    }

    private static void assertClose(double[] exact, float[] actual, int k, String what) {
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], actual[i], 1e-5 * Math.sqrt(k), what + " at " + i);
        }
    }

    private static String shape(int[] s) {
        return java.util.Arrays.toString(s);
    }

    static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
