package org.lsg4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fused tiled attention and its backward against a naive softmax(q k / sqrt(dh)) v and its
 * gradients in double, on shapes with every kind of remainder; the naive gradients against
 * central differences.
 */
class AttentionTest {
    private static final int[][] SHAPES = {{1, 1, 16}, {5, 37, 8}, {25, 100, 64}, {128, 641, 64}, {7, 300, 24},
        {97, 50, 48}, {200, 13, 80}, {3, 1000, 64}};

    /** One problem: queries (nq x ldq), keys and values (nk x dh), gathered as the kernels want them. */
    private record Problem(int nq, int nk, int dh, int ldq, int ldk, float[] q, float[] keys, float[] values,
                           float[] kt, float[] v) {
        static Problem random(int nq, int nk, int dh) {
            SplittableRandom random = new SplittableRandom(nq * 1000L + nk * 7L + dh);
            int ldq = dh + 3;
            float[] q = GemmTest.values(random, nq * ldq);
            float[] keys = GemmTest.values(random, nk * dh);
            float[] values = GemmTest.values(random, nk * dh);
            int ldk = Attention.paddedKeys(nk) + 5;
            float[] kt = GemmTest.values(random, dh * ldk);   // columns past nk: garbage, must not matter
            float[] v = new float[ldk * dh + Gemm.NR];
            for (int j = 0; j < nk; j++) {
                for (int e = 0; e < dh; e++) {
                    keys[j * dh + e] *= 3;   // larger scores: a peaked softmax
                    kt[e * ldk + j] = keys[j * dh + e];
                }
                System.arraycopy(values, j * dh, v, j * dh, dh);
            }
            return new Problem(nq, nk, dh, ldq, ldk, q, keys, values, kt, v);
        }

        /** softmax(q_i k_j / sqrt(dh)) over j, in double. */
        double[] probabilities(int i) {
            double[] p = new double[nk];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < nk; j++) {
                double s = 0;
                for (int e = 0; e < dh; e++) {
                    s += (double) q[i * ldq + e] * keys[j * dh + e];
                }
                p[j] = s / Math.sqrt(dh);
                max = Math.max(max, p[j]);
            }
            double sum = 0;
            for (int j = 0; j < nk; j++) {
                p[j] = Math.exp(p[j] - max);
                sum += p[j];
            }
            for (int j = 0; j < nk; j++) {
                p[j] /= sum;
            }
            return p;
        }
    }

    @Test
    void matchesNaiveAttention() {
        for (int[] s : SHAPES) {
            Problem pr = Problem.random(s[0], s[1], s[2]);
            int nq = pr.nq;
            int dh = pr.dh;
            float[] out = new float[nq * pr.ldq];
            Attention.attend(pr.q, 0, pr.ldq, nq, pr.kt, pr.v, pr.nk, pr.ldk, dh,
                    new float[Attention.workspaceSize(pr.nk, dh)], out, 0, pr.ldq);
            for (int i = 0; i < nq; i++) {
                double[] p = pr.probabilities(i);
                for (int e = 0; e < dh; e++) {
                    double o = 0;
                    for (int j = 0; j < pr.nk; j++) {
                        o += p[j] * pr.values[j * dh + e];
                    }
                    assertEquals(o, out[i * pr.ldq + e], 2e-6, java.util.Arrays.toString(s) + " at " + i + "," + e);
                }
            }
            // in place over the queries, as the model calls it, and with a workspace too small
            float[] inPlace = pr.q.clone();
            Attention.attend(inPlace, 0, pr.ldq, nq, pr.kt, pr.v, pr.nk, pr.ldk, dh, new float[1], inPlace, 0, pr.ldq);
            for (int i = 0; i < nq; i++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(out, i * pr.ldq, i * pr.ldq + dh),
                        java.util.Arrays.copyOfRange(inPlace, i * pr.ldq, i * pr.ldq + dh));
            }
        }
    }

    @Test
    void backwardMatchesNaiveGradients() {
        for (int[] s : SHAPES) {
            Problem pr = Problem.random(s[0], s[1], s[2]);
            int nq = pr.nq;
            int nk = pr.nk;
            int dh = pr.dh;
            SplittableRandom random = new SplittableRandom(nq + nk + dh);
            int ldd = dh + 1;
            float[] dout = GemmTest.values(random, nq * ldd);
            float[] dq = new float[nq * pr.ldq];
            float[] dkt0 = GemmTest.values(random, dh * pr.ldk);
            float[] dv0 = GemmTest.values(random, pr.ldk * dh);
            float[] dkt = dkt0.clone();
            float[] dv = dv0.clone();
            Attention.attendBackward(pr.q, 0, pr.ldq, nq, pr.kt, pr.v, nk, pr.ldk, dh, dout, 0, ldd,
                    new float[Attention.backwardWorkspaceSize(nk, dh)], dq, 0, pr.ldq, dkt, dv);
            double[][] ref = naiveBackward(pr, dout, ldd);
            String at = java.util.Arrays.toString(s);
            for (int i = 0; i < nq; i++) {
                for (int e = 0; e < dh; e++) {
                    assertEquals(ref[0][i * dh + e], dq[i * pr.ldq + e], 1e-5, "dq " + at + " at " + i + "," + e);
                }
            }
            for (int j = 0; j < pr.ldk; j++) {
                for (int e = 0; e < dh; e++) {
                    double dk = j < nk ? ref[1][j * dh + e] : 0;
                    double dval = j < nk ? ref[2][j * dh + e] : 0;
                    double tol = 2e-6 * Math.sqrt(nq);
                    assertEquals(dkt0[e * pr.ldk + j] + dk, dkt[e * pr.ldk + j], tol, "dk " + at + " at " + j + "," + e);
                    assertEquals(dv0[j * dh + e] + dval, dv[j * dh + e], tol, "dv " + at + " at " + j + "," + e);
                }
            }
        }
    }

    /** A fixed dropout pattern: about one key in five dropped, the rest scaled by 1 / (1 - 0.2). */
    private static float factor(int i, int j) {
        return (i * 31 + j * 17) % 5 == 0 ? 0f : 1.25f;
    }

    @Test
    void probabilityDropoutMatchesNaiveForwardAndBackward() {
        Attention.ProbabilityDropout drop = (i, out, nk) -> {
            for (int j = 0; j < nk; j++) {
                out[j] = factor(i, j);
            }
        };
        for (int[] s : new int[][]{{5, 37, 8}, {25, 100, 64}, {97, 50, 48}}) {
            Problem pr = Problem.random(s[0], s[1], s[2]);
            int nq = pr.nq;
            int nk = pr.nk;
            int dh = pr.dh;
            String at = java.util.Arrays.toString(s);
            float[] out = new float[nq * pr.ldq];
            Attention.attend(pr.q, 0, pr.ldq, nq, pr.kt, pr.v, nk, pr.ldk, dh,
                    new float[Attention.workspaceSize(nk, dh)], out, 0, pr.ldq, drop);
            SplittableRandom random = new SplittableRandom(nq * 3L + nk);
            float[] dout = GemmTest.values(random, nq * dh);
            float[] dq = new float[nq * pr.ldq];
            float[] dkt = new float[dh * pr.ldk];
            float[] dv = new float[pr.ldk * dh];
            Attention.attendBackward(pr.q, 0, pr.ldq, nq, pr.kt, pr.v, nk, pr.ldk, dh, dout, 0, dh,
                    new float[Attention.backwardWorkspaceSize(nk, dh)], dq, 0, pr.ldq, dkt, dv, drop);
            double scale = 1 / Math.sqrt(dh);
            double[] rdk = new double[nk * dh];
            double[] rdv = new double[nk * dh];
            for (int i = 0; i < nq; i++) {
                double[] p = pr.probabilities(i);
                double[] dp = new double[nk];
                double delta = 0;
                for (int j = 0; j < nk; j++) {
                    double f = factor(i, j);
                    for (int e = 0; e < dh; e++) {
                        dp[j] += f * dout[i * dh + e] * pr.values[j * dh + e];
                        rdv[j * dh + e] += p[j] * f * dout[i * dh + e];
                    }
                    delta += p[j] * dp[j];
                }
                for (int e = 0; e < dh; e++) {
                    double o = 0;
                    double g = 0;
                    for (int j = 0; j < nk; j++) {
                        o += p[j] * factor(i, j) * pr.values[j * dh + e];
                        g += p[j] * (dp[j] - delta) * scale * pr.keys[j * dh + e];
                    }
                    assertEquals(o, out[i * pr.ldq + e], 2e-6, "out " + at + " at " + i + "," + e);
                    assertEquals(g, dq[i * pr.ldq + e], 1e-5, "dq " + at + " at " + i + "," + e);
                }
                for (int j = 0; j < nk; j++) {
                    for (int e = 0; e < dh; e++) {
                        rdk[j * dh + e] += p[j] * (dp[j] - delta) * scale * pr.q[i * pr.ldq + e];
                    }
                }
            }
            for (int j = 0; j < nk; j++) {
                for (int e = 0; e < dh; e++) {
                    double tol = 2e-6 * Math.sqrt(nq);
                    assertEquals(rdk[j * dh + e], dkt[e * pr.ldk + j], tol, "dk " + at + " at " + j + "," + e);
                    assertEquals(rdv[j * dh + e], dv[j * dh + e], tol, "dv " + at + " at " + j + "," + e);
                }
            }
        }
    }

    /** dq (nq x dh), dk (nk x dh), dv (nk x dh) of L = sum out * dout, in double. */
    private static double[][] naiveBackward(Problem pr, float[] dout, int ldd) {
        int dh = pr.dh;
        int nk = pr.nk;
        double scale = 1 / Math.sqrt(dh);
        double[] dq = new double[pr.nq * dh];
        double[] dk = new double[nk * dh];
        double[] dv = new double[nk * dh];
        for (int i = 0; i < pr.nq; i++) {
            double[] p = pr.probabilities(i);
            double[] dp = new double[nk];
            double delta = 0;
            for (int j = 0; j < nk; j++) {
                for (int e = 0; e < dh; e++) {
                    dp[j] += (double) dout[i * ldd + e] * pr.values[j * dh + e];
                    dv[j * dh + e] += p[j] * dout[i * ldd + e];
                }
                delta += p[j] * dp[j];
            }
            for (int j = 0; j < nk; j++) {
                double ds = p[j] * (dp[j] - delta) * scale;
                for (int e = 0; e < dh; e++) {
                    dq[i * dh + e] += ds * pr.keys[j * dh + e];
                    dk[j * dh + e] += ds * pr.q[i * pr.ldq + e];
                }
            }
        }
        return new double[][]{dq, dk, dv};
    }

    @Test
    void naiveGradientsMatchCentralDifferences() {
        Problem pr = Problem.random(3, 5, 4);
        SplittableRandom random = new SplittableRandom(5);
        float[] dout = GemmTest.values(random, 3 * 4);
        double[][] grad = naiveBackward(pr, dout, 4);
        float h = 1e-3f;
        float[][] inputs = {pr.q, pr.keys, pr.values};
        for (int which = 0; which < 3; which++) {
            float[] in = inputs[which];
            int stride = which == 0 ? pr.ldq : 4;
            for (int r = 0; r < (which == 0 ? 3 : 5); r++) {
                for (int e = 0; e < 4; e++) {
                    int idx = r * stride + e;
                    float x = in[idx];
                    in[idx] = x + h;
                    double plus = loss(pr, dout);
                    double step = in[idx];
                    in[idx] = x - h;
                    double minus = loss(pr, dout);
                    step -= in[idx];   // the float inputs' actual step
                    in[idx] = x;
                    assertEquals((plus - minus) / step, grad[which][r * 4 + e], 1e-5, "input " + which + " " + idx);
                }
            }
        }
    }

    private static double loss(Problem pr, float[] dout) {
        double l = 0;
        for (int i = 0; i < pr.nq; i++) {
            double[] p = pr.probabilities(i);
            for (int e = 0; e < pr.dh; e++) {
                double o = 0;
                for (int j = 0; j < pr.nk; j++) {
                    o += p[j] * pr.values[j * pr.dh + e];
                }
                l += o * dout[i * pr.dh + e];
            }
        }
        return l;
    }
}
