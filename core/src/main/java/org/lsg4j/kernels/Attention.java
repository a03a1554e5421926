package org.lsg4j.kernels;

import java.util.Arrays;

/**
 * Fused softmax attention of a group of queries over a gathered set of keys,
 * {@code out = softmax(q k^T / sqrt(dh)) v}, and its backward.
 *
 * <p>The forward works on QT queries at a time with the keys along the rows: the scores come out
 * transposed, {@code S^T = K q^T} (keys x QT, the transposed keys being exactly the k-major left
 * operand the GEMM kernel reads), the softmax runs down each column with the queries in the vector
 * lanes (no horizontal sums), and {@code P^T} is then the k-major left operand of
 * {@code out = P V}. Only one tile of scores ever exists and nothing but the QT queries is copied.
 *
 * <p>Masked keys are not passed in at all: with the reference's additive mask (the most negative
 * float) their probabilities are exactly zero, so leaving them out gives the same result.
 */
public final class Attention {
    /** Queries per tile: a multiple of both the micro-tile's rows and its width. */
    public static final int QT = lcm(Gemm.MR, Gemm.NR);

    private Attention() {
    }

    private static int lcm(int a, int b) {
        int x = a;
        while (x % b != 0) {
            x += a;
        }
        return x;
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }

    /** Keys rounded up to what the kernels read: a multiple of {@link Gemm#MR} and of {@link Gemm#NR}. */
    public static int paddedKeys(int nk) {
        return Math.max(roundUp(nk, Gemm.MR), roundUp(nk, Gemm.NR));
    }

    /** Floats of workspace {@link #attend} needs for up to {@code nk} keys of dimension dh. */
    public static int workspaceSize(int nk, int dh) {
        return (dh + nk) * QT + Gemm.MR * Gemm.NR;
    }

    /**
     * @param q     query i (dh floats) at {@code q[qOff + i * ldq]}
     * @param nq    number of queries
     * @param kt    the keys transposed: dh x ldk, key j of dimension e at {@code kt[e * ldk + j]};
     *              columns from nk on are read but do not matter
     * @param v     the values: ldk x dh, row-major, plus {@link Gemm#NR} floats of slack; rows from nk on are not read
     * @param nk    number of keys, at least one
     * @param ldk   at least {@link #paddedKeys}(nk)
     * @param work  workspace of {@link #workspaceSize}(nk, dh) floats (a smaller one is replaced by a
     *              temporary array, which costs an allocation per call)
     * @param out   query i's result (dh floats) written at {@code out[outOff + i * ldo]}; may be q
     *              itself at the same offsets (each tile's queries are copied before it is written)
     */
    public static void attend(float[] q, int qOff, int ldq, int nq, float[] kt, float[] v, int nk, int ldk, int dh,
                              float[] work, float[] out, int outOff, int ldo) {
        float scale = (float) (1.0 / Math.sqrt(dh));
        float[] w = work.length >= workspaceSize(nk, dh) ? work : new float[workspaceSize(nk, dh)];
        int qt = QT;
        int st = dh * qt;              // S^T, then P^T: nk x QT
        int edge = st + nk * qt;       // MR x NR
        for (int i0 = 0; i0 < nq; i0 += qt) {
            int m = Math.min(qt, nq - i0);
            int n = roundUp(m, Gemm.NR);
            // q^T: dh x QT, query i's dimension e at w[e * QT + i], zero past the tile's queries
            for (int e = 0; e < dh; e++) {
                for (int i = 0; i < m; i++) {
                    w[e * qt + i] = q[qOff + (i0 + i) * ldq + e];
                }
                Arrays.fill(w, e * qt + m, e * qt + n, 0f);
            }
            // S^T (nk x n) = K q^T
            for (int j = 0; j < nk; j++) {
                Arrays.fill(w, st + j * qt, st + j * qt + n, 0f);
            }
            Gemm.multiply(kt, 0, ldk, w, 0, qt, nk, n, dh, w, st, qt, w, edge);
            Softmax.columns(w, st, nk, n, qt, scale);
            // out (m x dh) = P V
            for (int i = 0; i < m; i++) {
                Arrays.fill(out, outOff + (i0 + i) * ldo, outOff + (i0 + i) * ldo + dh, 0f);
            }
            Gemm.multiply(w, st, qt, v, 0, dh, m, dh, nk, out, outOff + i0 * ldo, ldo, w, edge);
        }
    }
}
