package org.lsg4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The packed GEMM against a plain triple loop in double, on shapes with every kind of remainder. */
class GemmTest {
    @Test
    void linearMatchesNaiveOnOddShapes() {
        int[][] shapes = {{1, 1, 1}, {5, 7, 3}, {6, 16, 16}, {13, 300, 33}, {73, 257, 49}, {150, 768, 40}, {7, 513, 800}};
        try (Workers workers = Workers.create(3)) {
            for (int[] s : shapes) {
                for (boolean withBias : new boolean[]{true, false}) {
                    check(workers, s[0], s[1], s[2], withBias);
                }
            }
        }
    }

    private static void check(Workers workers, int rows, int in, int out, boolean withBias) {
        SplittableRandom random = new SplittableRandom(rows * 31L + in * 7L + out);
        float[] x = values(random, rows * in);
        float[] w = values(random, out * in);
        float[] bias = withBias ? values(random, out) : null;
        float[] y = new float[rows * out + 3];
        y[rows * out + 2] = 42f;   // past the output: must stay
        Gemm.linear(workers, PackedWeights.pack(w, bias, in, out), x, 0, rows, y, 0);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) {
                    s += (double) x[r * in + i] * w[o * in + i];
                }
                assertEquals(s, y[r * out + o], 1e-5 * Math.sqrt(in), rows + "x" + in + "x" + out + " at " + r + "," + o);
            }
        }
        assertEquals(42f, y[rows * out + 2]);
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

    static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
