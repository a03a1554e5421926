package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Fused softmax attention of a group of queries over a gathered set of keys,
 * {@code out = softmax(q k^T / sqrt(dh)) v}, and its backward.
 *
 * <p>The forward works on QT queries at a time with the keys along the rows: the scores come out
 * transposed, {@code S^T = K q^T} (keys x QT, the transposed keys being exactly the k-major left
 * operand the GEMM kernel reads), the softmax runs down each column with the queries in the vector
 * lanes (no horizontal sums), and its exponentials {@code E^T} are then the k-major left operand of
 * {@code out = E V / rowsum(E)}. Only one tile of scores ever exists and nothing but the QT queries
 * is copied.
 *
 * <p>The backward ({@link #attendBackward}) recomputes the probabilities, queries along the rows
 * this time ({@code S = q K^T}, a row softmax), because its products over the queries (dV, dK)
 * want P and dS with the keys contiguous; only dS is also needed transposed (for dq).
 *
 * <p>Masked keys are not passed in at all: with the reference's additive mask (the most negative
 * float) their probabilities are exactly zero, so leaving them out gives the same result.
 */
public final class Attention {
    private static final VectorSpecies<Float> F = VectorMath.F;
    /** Queries per tile: a multiple of both the micro-tile's rows and its width. */
    public static final int QT = lcm(Gemm.MR, Gemm.NR);

    private Attention() {
    }

    /**
     * Dropout on the attention probabilities (training mode): for query i of a call, the factor of
     * each of its nk keys, 0 or {@code 1 / (1 - p)}. It must give the same factors to the forward and
     * the backward call of the same queries and keys.
     */
    public interface ProbabilityDropout {
        void factors(int query, float[] out, int nk);
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

    /**
     * Keys rounded up to what the kernels read: past the last micro-panel of {@link Gemm#MR} rows,
     * to a multiple of {@link Gemm#NR} columns.
     */
    public static int paddedKeys(int nk) {
        return roundUp(roundUp(nk, Gemm.MR), Gemm.NR);
    }

    /** Floats of workspace {@link #attend} needs for up to {@code nk} keys of dimension dh. */
    public static int workspaceSize(int nk, int dh) {
        return (dh + nk + 2) * QT + Gemm.MR * Gemm.NR;
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
        attend(q, qOff, ldq, nq, kt, v, nk, ldk, dh, work, out, outOff, ldo, null);
    }

    /**
     * {@link #attend} with dropout on the probabilities: {@code out = (P * M) V}, M the factors
     * {@code drop} gives (null: none). The softmax's sums are those of P, before the dropout, as in
     * {@code dropout(softmax(S)) V}.
     */
    public static void attend(float[] q, int qOff, int ldq, int nq, float[] kt, float[] v, int nk, int ldk, int dh,
                              float[] work, float[] out, int outOff, int ldo, ProbabilityDropout drop) {
        float[] factors = drop == null ? null : new float[nk];
        float scale = (float) (1.0 / Math.sqrt(dh));
        float[] w = work.length >= workspaceSize(nk, dh) ? work : new float[workspaceSize(nk, dh)];
        int qt = QT;
        int st = dh * qt;              // S^T, then E^T: nk x QT
        int sums = st + nk * qt;       // QT: the queries' sums of E
        int maxes = sums + qt;         // QT: the queries' largest scores
        int edge = maxes + qt;         // MR x NR
        for (int i0 = 0; i0 < nq; i0 += qt) {
            int m = Math.min(qt, nq - i0);
            int n = roundUp(m, Gemm.NR);
            // q^T: dh x QT, query i's dimension e at w[e * QT + i], zero past the tile's queries
            VectorMath.transpose(q, qOff + i0 * ldq, ldq, m, dh, w, 0, qt);
            for (int e = 0; m < n && e < dh; e++) {
                Arrays.fill(w, e * qt + m, e * qt + n, 0f);
            }
            // S^T (nk x n) = K q^T
            Gemm.multiply(kt, 0, ldk, w, 0, qt, nk, n, dh, w, st, qt, true, w, edge);
            Softmax.expColumns(w, st, nk, n, qt, scale, w, sums, w, maxes);
            for (int i = 0; drop != null && i < m; i++) {
                drop.factors(i0 + i, factors, nk);
                for (int j = 0; j < nk; j++) {
                    w[st + j * qt + i] *= factors[j];
                }
            }
            // out (m x dh) = E V / rowsum(E)
            Gemm.multiply(w, st, qt, v, 0, dh, m, dh, nk, out, outOff + i0 * ldo, ldo, true, w, edge);
            for (int i = 0; i < m; i++) {
                float inv = 1f / w[sums + i];
                int o = outOff + (i0 + i) * ldo;
                for (int e = 0; e < dh; e++) {
                    out[o + e] *= inv;
                }
            }
        }
    }

    /** Floats of workspace {@link #attendBackward} needs for up to {@code nk} keys of dimension dh. */
    public static int backwardWorkspaceSize(int nk, int dh) {
        int ldS = paddedKeys(nk);
        int dhP = paddedKeys(dh);   // a head dimension padded like the keys
        return ldS * (dh + dhP + 3 * QT) + QT * (2 * dh + 2 * dhP) + Gemm.MR * Gemm.NR;
    }

    /**
     * The backward of {@link #attend} for the same group of queries and keys, given the gradient of
     * its output. With {@code P = softmax(q K^T / sqrt(dh))} (recomputed), {@code dP = dO V^T} and
     * {@code dS = P * (dP - rowsum(dP * P)) / sqrt(dh)}: {@code dq = dS K},
     * {@code dK^T += q^T dS}, {@code dV += P^T dO}. The key and value gradients are those of the
     * gathered keys, in the layouts of kt and v, for the caller to add back to their sources.
     *
     * @param q, qOff, ldq, nq, kt, v, nk, ldk, dh as for {@link #attend}
     * @param dout  the gradient of query i's output at {@code dout[dOff + i * ldd]}
     * @param work  workspace of {@link #backwardWorkspaceSize}(nk, dh) floats (a smaller one is replaced
     *              by a temporary array)
     * @param dq    query i's gradient written at {@code dq[dqOff + i * lddq]}; may be q or dout at the
     *              same offsets
     * @param dkt   dh x ldk like kt: the gradient of key j, dimension e, added at {@code dkt[e * ldk + j]}
     *              for j below nk
     * @param dv    ldk x dh like v: the gradient of value j added at {@code dv[j * dh ..]} for j below nk
     */
    public static void attendBackward(float[] q, int qOff, int ldq, int nq, float[] kt, float[] v, int nk, int ldk,
                                      int dh, float[] dout, int dOff, int ldd, float[] work,
                                      float[] dq, int dqOff, int lddq, float[] dkt, float[] dv) {
        attendBackward(q, qOff, ldq, nq, kt, v, nk, ldk, dh, dout, dOff, ldd, work, dq, dqOff, lddq, dkt, dv, null);
    }

    /**
     * The backward of {@link #attend} with probability dropout (the same {@code drop}): with the
     * factors M, {@code dP = (dO V^T) * M} enters the softmax's backward, and {@code dV += (P * M)^T dO}.
     */
    public static void attendBackward(float[] q, int qOff, int ldq, int nq, float[] kt, float[] v, int nk, int ldk,
                                      int dh, float[] dout, int dOff, int ldd, float[] work,
                                      float[] dq, int dqOff, int lddq, float[] dkt, float[] dv,
                                      ProbabilityDropout drop) {
        float[] factors = drop == null ? null : new float[nk];
        float scale = (float) (1.0 / Math.sqrt(dh));
        float[] w = work.length >= backwardWorkspaceSize(nk, dh) ? work : new float[backwardWorkspaceSize(nk, dh)];
        int qt = QT;
        int ldS = paddedKeys(nk);
        int dhP = paddedKeys(dh);   // a head dimension padded like the keys
        int vT = 0;                    // dh x ldS: V^T, zero from nk on
        int kRow = vT + dh * ldS;      // ldS x dhP: K, row-major
        int qT = kRow + ldS * dhP;     // dh x QT: the tile's queries transposed
        int dOT = qT + dh * qt;        // dh x QT: their output gradients transposed
        int qP = dOT + dh * qt;        // QT x dhP: the queries, rows padded with zeros
        int dOP = qP + qt * dhP;       // QT x dhP: the output gradients, rows padded
        int sp = dOP + qt * dhP;       // QT x ldS: scores, then P
        int ds = sp + qt * ldS;        // QT x ldS: dP, then dS
        int dsT = ds + qt * ldS;       // ldS x QT: dS transposed
        int edge = dsT + ldS * qt;     // MR x NR
        Arrays.fill(w, vT, qT, 0f);
        VectorMath.transpose(v, 0, dh, nk, dh, w, vT, ldS);
        VectorMath.transpose(kt, 0, ldk, dh, nk, w, kRow, dhP);
        for (int i0 = 0; i0 < nq; i0 += qt) {
            int m = Math.min(qt, nq - i0);
            Arrays.fill(w, qT, sp, 0f);
            VectorMath.transpose(q, qOff + i0 * ldq, ldq, m, dh, w, qT, qt);
            VectorMath.transpose(dout, dOff + i0 * ldd, ldd, m, dh, w, dOT, qt);
            for (int i = 0; i < m; i++) {
                System.arraycopy(q, qOff + (i0 + i) * ldq, w, qP + i * dhP, dh);
                System.arraycopy(dout, dOff + (i0 + i) * ldd, w, dOP + i * dhP, dh);
            }
            // S (m x ldS) = q K^T, then P = softmax by rows
            Gemm.multiply(w, qT, qt, kt, 0, ldk, m, ldS, dh, w, sp, ldS, true, w, edge);
            for (int i = 0; i < m; i++) {
                Softmax.row(w, sp + i * ldS, nk, ldS, scale);
            }
            // dP (m x ldS) = dO V^T, then dS = P (dP - rowsum(P dP)) / sqrt(dh)
            Gemm.multiply(w, dOT, qt, w, vT, ldS, m, ldS, dh, w, ds, ldS, true, w, edge);
            for (int i = 0; i < m; i++) {
                int p = sp + i * ldS;
                int g = ds + i * ldS;
                if (drop != null) {
                    drop.factors(i0 + i, factors, nk);
                    for (int j = 0; j < nk; j++) {
                        w[g + j] *= factors[j];
                    }
                }
                FloatVector delta = FloatVector.broadcast(F, VectorMath.dot(w, p, w, g, nk));
                for (int j = 0; j < ldS; j += F.length()) {
                    FloatVector.fromArray(F, w, g + j).sub(delta).mul(FloatVector.fromArray(F, w, p + j)).mul(scale)
                            .intoArray(w, g + j);
                }
                if (drop != null) {
                    for (int j = 0; j < nk; j++) {
                        w[p + j] *= factors[j];   // P * M, which dV reads
                    }
                }
            }
            // dV (nk x dh) += P^T dO; dK^T (dh x nk) += q^T dS
            Gemm.multiply(w, sp, ldS, w, dOP, dhP, nk, dh, m, dv, 0, dh, false, w, edge);
            Gemm.multiply(w, qP, dhP, w, ds, ldS, dh, nk, m, dkt, 0, ldk, false, w, edge);
            // dq (m x dh) = dS K
            VectorMath.transpose(w, ds, ldS, m, nk, w, dsT, qt);
            Gemm.multiply(w, dsT, qt, w, kRow, dhP, m, dh, nk, dq, dqOff + i0 * lddq, lddq, true, w, edge);
        }
    }
}
