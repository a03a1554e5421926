package org.lsg4j.kernels;

/**
 * Fused softmax attention of a group of queries over a gathered set of keys:
 * {@code out = softmax(q.k / sqrt(dh)) v}, computed QT queries at a time (scores of QT x nk, then
 * softmax, then the product with the values) so that only one tile of scores ever exists.
 * Masked keys are not passed in at all: with the reference's additive mask (the most negative
 * float) their probabilities are exactly zero, so leaving them out gives the same result.
 */
public final class Attention {
    /** Queries per tile of scores. */
    public static final int QT = 4 * Gemm.MR;

    private Attention() {
    }

    /** Keys rounded up to what {@link #attend} reads: a multiple of {@link Gemm#NR}. */
    public static int paddedKeys(int nk) {
        return (nk + Gemm.NR - 1) / Gemm.NR * Gemm.NR;
    }

    /**
     * @param q      query i (dh floats) at {@code q[qOff + i * ldq]}
     * @param nq     number of queries
     * @param kt     the keys transposed: dh x ldk, key j of dimension e at {@code kt[e * ldk + j]}
     * @param v      the values: ldk x dh, row-major, plus NR floats of slack; rows from nk on are zero
     * @param nk     number of keys, at least one; columns of kt from nk on are ignored
     * @param ldk    {@link #paddedKeys}(nk)
     * @param scores workspace of at least QT x ldk floats
     * @param out    query i's result (dh floats) written at {@code out[outOff + i * ldo]}
     */
    public static void attend(float[] q, int qOff, int ldq, int nq, float[] kt, float[] v, int nk, int ldk, int dh,
                              float[] scores, float[] out, int outOff, int ldo) {
        float scale = (float) (1.0 / Math.sqrt(dh));
        int mr = Gemm.MR;
        int nr = Gemm.NR;
        for (int i0 = 0; i0 < nq; i0 += QT) {
            int m = Math.min(QT, nq - i0);
            java.util.Arrays.fill(scores, 0, m * ldk, 0f);
            for (int r = 0; r < m; r += mr) {
                // scores (m x ldk) = q (m x dh) kt (dh x ldk)
                for (int col = 0; col < ldk; col += nr) {
                    Gemm.multiplyAdd(q, qOff + (i0 + r) * ldq, ldq, kt, col, ldk, dh,
                            scores, r * ldk + col, ldk, Math.min(mr, m - r), nr);
                }
            }
            for (int r = 0; r < m; r++) {
                Softmax.row(scores, r * ldk, nk, ldk, scale);
            }
            for (int r = 0; r < m; r++) {
                java.util.Arrays.fill(out, outOff + (i0 + r) * ldo, outOff + (i0 + r) * ldo + dh, 0f);
            }
            for (int r = 0; r < m; r += mr) {
                // out (m x dh) = p (m x ldk) v (ldk x dh)
                for (int col = 0; col < dh; col += nr) {
                    Gemm.multiplyAdd(scores, r * ldk, ldk, v, col, dh, ldk,
                            out, outOff + (i0 + r) * ldo + col, ldo, Math.min(mr, m - r), Math.min(nr, dh - col));
                }
            }
        }
    }
}
