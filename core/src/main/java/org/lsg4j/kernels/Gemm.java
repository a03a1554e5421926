package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked float32 matrix products. {@link #tile} is the micro-kernel: a tile of MR rows
 * by NR = 2 vectors of columns kept in 12 vector registers while it runs down k with one FMA per
 * register and step. {@link #linear} drives it over a linear layer with cache blocking: KC steps
 * of k at a time (a KC x NR panel of weights stays in L1 while MC rows go past it, the MC x KC
 * block of inputs stays in L2), NC_PANELS panels per task so that a task's weights fit in L3.
 */
public final class Gemm {
    static final VectorSpecies<Float> F = VectorMath.F;
    private static final int L = F.length();
    /** Rows of a micro-tile. */
    public static final int MR = 6;
    /** Columns of a micro-tile and of a weight panel: two vectors. */
    public static final int NR = 2 * L;
    private static final int MC = 72;
    private static final int KC = 256;
    private static final int NC_PANELS = 48;

    private Gemm() {
    }

    /**
     * A linear layer {@code y = x W^T + b} on the workers.
     *
     * @param x rows x in at {@code x[xOff]}, row-major
     * @param y rows x out at {@code y[yOff]}, row-major, overwritten
     */
    public static void linear(Workers workers, PackedWeights w, float[] x, int xOff, int rows, float[] y, int yOff) {
        int in = w.in();
        int out = w.out();
        int panels = (out + NR - 1) / NR;
        int groups = (panels + NC_PANELS - 1) / NC_PANELS;
        int chunks = (rows + MC - 1) / MC;
        float[] b = w.panels();
        workers.run(groups * chunks, (task, worker) -> {
            int p0 = task / chunks * NC_PANELS;
            int p1 = Math.min(panels, p0 + NC_PANELS);
            int r0 = task % chunks * MC;
            int r1 = Math.min(rows, r0 + MC);
            for (int k0 = 0; k0 < in; k0 += KC) {
                int kc = Math.min(KC, in - k0);
                for (int p = p0; p < p1; p++) {
                    int col = p * NR;
                    int cols = Math.min(NR, out - col);
                    for (int r = r0; r < r1; r += MR) {
                        tile(x, xOff + r * in + k0, in, b, (p * in + k0) * NR, NR, kc,
                                y, yOff + r * out + col, out, Math.min(MR, r1 - r), cols, k0 > 0, w.bias(), col);
                    }
                }
            }
        });
    }

    /**
     * The micro-kernel: {@code C = init + A B} for a tile of {@code rows <= MR} rows and
     * {@code cols <= NR} columns.
     *
     * @param a          row r, step kk at {@code a[aOff + r * lda + kk]}
     * @param b          step kk at {@code b[bOff + kk * ldb]}, NR floats readable (padding beyond cols is ignored)
     * @param k          number of steps
     * @param c          row r at {@code c[cOff + r * ldc]}, cols floats
     * @param accumulate start from C; otherwise from {@code bias[biasOff ..]} (NR floats), or 0 when bias is null
     */
    public static void tile(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int k,
                            float[] c, int cOff, int ldc, int rows, int cols,
                            boolean accumulate, float[] bias, int biasOff) {
        // rows past the tile repeat its last row: computed, never stored
        int a0 = aOff;
        int a1 = aOff + Math.min(1, rows - 1) * lda;
        int a2 = aOff + Math.min(2, rows - 1) * lda;
        int a3 = aOff + Math.min(3, rows - 1) * lda;
        int a4 = aOff + Math.min(4, rows - 1) * lda;
        int a5 = aOff + Math.min(5, rows - 1) * lda;
        VectorMask<Float> m0 = F.indexInRange(0, cols);
        VectorMask<Float> m1 = F.indexInRange(L, cols);
        FloatVector s0 = start(c, cOff, accumulate, bias, biasOff, m0);
        FloatVector s1 = start(c, cOff + L, accumulate, bias, biasOff + L, m1);
        FloatVector c00 = s0, c01 = s1, c10 = s0, c11 = s1, c20 = s0, c21 = s1;
        FloatVector c30 = s0, c31 = s1, c40 = s0, c41 = s1, c50 = s0, c51 = s1;
        if (accumulate) {
            c10 = start(c, cOff + Math.min(1, rows - 1) * ldc, true, null, 0, m0);
            c11 = start(c, cOff + Math.min(1, rows - 1) * ldc + L, true, null, 0, m1);
            c20 = start(c, cOff + Math.min(2, rows - 1) * ldc, true, null, 0, m0);
            c21 = start(c, cOff + Math.min(2, rows - 1) * ldc + L, true, null, 0, m1);
            c30 = start(c, cOff + Math.min(3, rows - 1) * ldc, true, null, 0, m0);
            c31 = start(c, cOff + Math.min(3, rows - 1) * ldc + L, true, null, 0, m1);
            c40 = start(c, cOff + Math.min(4, rows - 1) * ldc, true, null, 0, m0);
            c41 = start(c, cOff + Math.min(4, rows - 1) * ldc + L, true, null, 0, m1);
            c50 = start(c, cOff + Math.min(5, rows - 1) * ldc, true, null, 0, m0);
            c51 = start(c, cOff + Math.min(5, rows - 1) * ldc + L, true, null, 0, m1);
        }
        for (int kk = 0; kk < k; kk++) {
            int bo = bOff + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(F, b, bo);
            FloatVector b1 = FloatVector.fromArray(F, b, bo + L);
            FloatVector av = FloatVector.broadcast(F, a[a0 + kk]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, a[a1 + kk]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, a[a2 + kk]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, a[a3 + kk]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, a[a4 + kk]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, a[a5 + kk]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        store(c00, c01, c, cOff, cols, m0, m1);
        if (rows > 1) {
            store(c10, c11, c, cOff + ldc, cols, m0, m1);
        }
        if (rows > 2) {
            store(c20, c21, c, cOff + 2 * ldc, cols, m0, m1);
        }
        if (rows > 3) {
            store(c30, c31, c, cOff + 3 * ldc, cols, m0, m1);
        }
        if (rows > 4) {
            store(c40, c41, c, cOff + 4 * ldc, cols, m0, m1);
        }
        if (rows > 5) {
            store(c50, c51, c, cOff + 5 * ldc, cols, m0, m1);
        }
    }

    private static FloatVector start(float[] c, int off, boolean accumulate, float[] bias, int biasOff,
                                     VectorMask<Float> m) {
        if (accumulate) {
            return m.allTrue() ? FloatVector.fromArray(F, c, off) : FloatVector.fromArray(F, c, off, m);
        }
        return bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, biasOff);
    }

    private static void store(FloatVector v0, FloatVector v1, float[] c, int off, int cols,
                              VectorMask<Float> m0, VectorMask<Float> m1) {
        if (cols == NR) {
            v0.intoArray(c, off);
            v1.intoArray(c, off + L);
        } else {
            v0.intoArray(c, off, m0);
            v1.intoArray(c, off + L, m1);
        }
    }
}
