package org.lsg4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fused tiled attention against a naive softmax(q k / sqrt(dh)) v in double. */
class AttentionTest {
    @Test
    void matchesNaiveAttention() {
        int[][] shapes = {{1, 1, 16}, {5, 37, 8}, {25, 100, 64}, {128, 641, 64}, {7, 300, 24}};
        for (int[] s : shapes) {
            check(s[0], s[1], s[2]);
        }
    }

    private static void check(int nq, int nk, int dh) {
        SplittableRandom random = new SplittableRandom(nq * 1000L + nk);
        int ldq = dh + 3;
        float[] q = GemmTest.values(random, nq * ldq);
        float[] keys = GemmTest.values(random, nk * dh);
        float[] values = GemmTest.values(random, nk * dh);
        int ldk = Attention.paddedKeys(nk);
        float[] kt = new float[dh * ldk];
        float[] v = new float[ldk * dh + Gemm.NR];
        for (int j = 0; j < nk; j++) {
            for (int e = 0; e < dh; e++) {
                kt[e * ldk + j] = keys[j * dh + e] * 3;   // larger scores: a peaked softmax
            }
            System.arraycopy(values, j * dh, v, j * dh, dh);
        }
        float[] out = new float[nq * ldq];
        Attention.attend(q, 0, ldq, nq, kt, v, nk, ldk, dh, new float[Attention.workspaceSize(nk, dh)], out, 0, ldq);
        for (int i = 0; i < nq; i++) {
            double[] p = new double[nk];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < nk; j++) {
                double s = 0;
                for (int e = 0; e < dh; e++) {
                    s += (double) q[i * ldq + e] * kt[e * ldk + j];
                }
                p[j] = s / Math.sqrt(dh);
                max = Math.max(max, p[j]);
            }
            double sum = 0;
            for (int j = 0; j < nk; j++) {
                p[j] = Math.exp(p[j] - max);
                sum += p[j];
            }
            for (int e = 0; e < dh; e++) {
                double o = 0;
                for (int j = 0; j < nk; j++) {
                    o += p[j] / sum * values[j * dh + e];
                }
                assertEquals(o, out[i * ldq + e], 2e-6, nq + "x" + nk + "x" + dh + " at " + i + "," + e);
            }
        }
    }
}
