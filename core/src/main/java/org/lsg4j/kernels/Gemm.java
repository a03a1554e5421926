package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
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
        float[] bias = w.bias();
        workers.run(groups * chunks, (task, worker) -> {
            int p0 = task / chunks * NC_PANELS;
            int p1 = Math.min(panels, p0 + NC_PANELS);
            int r0 = task % chunks * MC;
            int r1 = Math.min(rows, r0 + MC);
            int c0 = p0 * NR;
            int c1 = Math.min(out, p1 * NR);
            for (int r = r0; r < r1; r++) {
                if (bias == null) {
                    java.util.Arrays.fill(y, yOff + r * out + c0, yOff + r * out + c1, 0f);
                } else {
                    System.arraycopy(bias, c0, y, yOff + r * out + c0, c1 - c0);
                }
            }
            for (int k0 = 0; k0 < in; k0 += KC) {
                int kc = Math.min(KC, in - k0);
                for (int p = p0; p < p1; p++) {
                    int col = p * NR;
                    for (int r = r0; r < r1; r += MR) {
                        multiplyAdd(x, xOff + r * in + k0, in, b, (p * in + k0) * NR, NR, kc,
                                y, yOff + r * out + col, out, Math.min(MR, r1 - r), Math.min(NR, out - col));
                    }
                }
            }
        });
    }

    /**
     * {@code C += A B} for a tile of {@code rows <= MR} rows and {@code cols <= NR} columns: the
     * micro-kernel when cols is NR, plain loops for the narrower tile at the right edge.
     *
     * @param a row r, step kk at {@code a[aOff + r * lda + kk]}
     * @param b step kk at {@code b[bOff + kk * ldb]}, NR floats readable
     * @param k number of steps
     * @param c row r at {@code c[cOff + r * ldc]}, cols floats
     */
    public static void multiplyAdd(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int k,
                                   float[] c, int cOff, int ldc, int rows, int cols) {
        if (cols == NR) {
            tile(a, aOff, lda, b, bOff, ldb, k, c, cOff, ldc, rows);
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float s = c[cOff + r * ldc + j];
                for (int kk = 0; kk < k; kk++) {
                    s = Math.fma(a[aOff + r * lda + kk], b[bOff + kk * ldb + j], s);
                }
                c[cOff + r * ldc + j] = s;
            }
        }
    }

    /** The micro-kernel: C += A B on rows <= MR rows and NR columns, in 2 * MR vector registers. */
    private static void tile(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int k,
                             float[] c, int cOff, int ldc, int rows) {
        // rows past the tile repeat its last row: computed, never stored
        int a0 = aOff;
        int a1 = aOff + Math.min(1, rows - 1) * lda;
        int a2 = aOff + Math.min(2, rows - 1) * lda;
        int a3 = aOff + Math.min(3, rows - 1) * lda;
        int a4 = aOff + Math.min(4, rows - 1) * lda;
        int a5 = aOff + Math.min(5, rows - 1) * lda;
        int o0 = cOff;
        int o1 = cOff + Math.min(1, rows - 1) * ldc;
        int o2 = cOff + Math.min(2, rows - 1) * ldc;
        int o3 = cOff + Math.min(3, rows - 1) * ldc;
        int o4 = cOff + Math.min(4, rows - 1) * ldc;
        int o5 = cOff + Math.min(5, rows - 1) * ldc;
        FloatVector c00 = FloatVector.fromArray(F, c, o0);
        FloatVector c01 = FloatVector.fromArray(F, c, o0 + L);
        FloatVector c10 = FloatVector.fromArray(F, c, o1);
        FloatVector c11 = FloatVector.fromArray(F, c, o1 + L);
        FloatVector c20 = FloatVector.fromArray(F, c, o2);
        FloatVector c21 = FloatVector.fromArray(F, c, o2 + L);
        FloatVector c30 = FloatVector.fromArray(F, c, o3);
        FloatVector c31 = FloatVector.fromArray(F, c, o3 + L);
        FloatVector c40 = FloatVector.fromArray(F, c, o4);
        FloatVector c41 = FloatVector.fromArray(F, c, o4 + L);
        FloatVector c50 = FloatVector.fromArray(F, c, o5);
        FloatVector c51 = FloatVector.fromArray(F, c, o5 + L);
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
        // a repeated row holds exactly its original's values, so storing it again changes nothing
        c51.intoArray(c, o5 + L);
        c50.intoArray(c, o5);
        c41.intoArray(c, o4 + L);
        c40.intoArray(c, o4);
        c31.intoArray(c, o3 + L);
        c30.intoArray(c, o3);
        c21.intoArray(c, o2 + L);
        c20.intoArray(c, o2);
        c11.intoArray(c, o1 + L);
        c10.intoArray(c, o1);
        c01.intoArray(c, o0 + L);
        c00.intoArray(c, o0);
    }
}
