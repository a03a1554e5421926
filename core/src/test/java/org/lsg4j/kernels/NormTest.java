package org.lsg4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Vectorised layernorm (with and without the residual) against a double-precision one. */
class NormTest {
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
                Norm.addLayerNorm(workers, y, 0, res, 0, rows, d, w, b, 1e-5);
            }
            for (int r = 0; r < rows; r++) {
                double mean = 0;
                for (int i = 0; i < d; i++) {
                    mean += (double) x[r * d + i] + res[r * d + i];
                }
                mean /= d;
                double var = 0;
                for (int i = 0; i < d; i++) {
                    double c = (double) x[r * d + i] + res[r * d + i] - mean;
                    var += c * c;
                }
                double inv = 1 / Math.sqrt(var / d + 1e-5);
                for (int i = 0; i < d; i++) {
                    double ref = ((double) x[r * d + i] + res[r * d + i] - mean) * inv * w[i] + b[i];
                    assertEquals(ref, y[r * d + i], 2e-6, "d " + d + " at " + r + "," + i);
                }
            }
        }
    }
}
