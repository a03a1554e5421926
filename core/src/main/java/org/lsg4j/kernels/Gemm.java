package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.lsg4j.LsgException;

import java.util.Arrays;

/**
 * Register-blocked float32 matrix products {@code C (+)= A B}: linear layers forward
 * ({@link #linear}), their input gradient ({@link #linearAdd} on {@link PackedWeights#transposed}),
 * their weight and bias gradients ({@link #weightGradient}, {@link #biasGradient}), and the
 * single-threaded products inside {@link Attention}.
 *
 * <p><b>Micro-kernel.</b> A tile of MR rows x NR = NV vectors of C lives in MR * NV vector
 * registers while the kernel runs down k; each step loads NV vectors of B, broadcasts MR values
 * of A and issues MR * NV FMAs. The tile is chosen once, at class initialisation, from the
 * register file that {@link FloatVector#SPECIES_PREFERRED} implies: 12 x 2 when vectors are 512
 * bits (AVX-512: 32 registers hold 24 accumulators, 2 vectors of B and the broadcast), 5 x 2
 * otherwise (AVX2: 16 registers; 10 accumulators leave C2 room for B, the broadcast and its
 * addresses, where 6 x 2 spills and runs at half the speed). The system property
 * {@code lsg4j.gemm.tile} ({@code 5x2}, {@code 12x2} or {@code 8x3}) forces one for benchmarking.
 *
 * <p><b>Operands.</b> The kernel reads both operands k-major, so that every load is a constant
 * offset from one moving index: A(r, kk) at {@code a[ao + kk * lda + r]} (MR consecutive rows per
 * step, all MR readable even in a short tile) and B(kk, j) at {@code b[bo + kk * ldb + j]} (NR
 * consecutive columns, all readable); C is row-major. A linear layer's task packs its block of
 * inputs into that form KC steps at a time (MC rows x KC steps, a block that stays in L2) and
 * reads the weights as panels packed once ({@link PackedWeights}); KC steps of one panel (KC x NR,
 * in L1) meet all MC rows of the block before the next panel. The weight gradient packs both of
 * its operands, once per phase of rows, into buffers its tasks share.
 *
 * <p><b>Determinism.</b> Every element of C is its start value plus its products added one k at
 * a time in increasing k, one fused multiply-add each, whatever the tile, the blocking, the edge
 * path or the worker that computes it. Results are therefore bit-identical across tiles, thread
 * counts and JIT states, and no element's sum is ever split between workers.
 */
public final class Gemm {
    static final VectorSpecies<Float> F = VectorMath.F;
    private static final int L = F.length();

    /**
     * A micro-tile of {@code rows} x {@code vectors} vectors with the blocking that suits it: KC
     * steps of a B panel (KC x NR floats) fill about half of a 48 KB L1; MC rows of A x KC steps
     * make the block that stays in L2.
     */
    record Tile(int rows, int vectors, int kc, int mc) {
        int width() {
            return vectors * L;
        }

        String name() {
            return rows + "x" + vectors;
        }
    }

    /** Every tile there is a kernel for. */
    static final Tile[] TILES = {new Tile(5, 2, 256, 80), new Tile(12, 2, 256, 96), new Tile(8, 3, 160, 96)};
    /** The tile this JVM uses. */
    static final Tile TILE = select(System.getProperty("lsg4j.gemm.tile"));
    /** Rows of the micro-tile. */
    public static final int MR = TILE.rows();
    /** Columns of the micro-tile and of a weight panel. */
    public static final int NR = TILE.width();
    /** Columns of dW one task of {@link #weightGradient} covers (a multiple of every tile width). */
    private static final int NC = 768;
    /** Tasks per worker a linear layer aims for, so that uneven tasks still even out. */
    private static final int TASKS_PER_WORKER = 4;
    /**
     * Rows of the batch one phase of {@link #weightGradient} takes: dY and X are packed once per
     * phase, into buffers all its tasks share (out x 512 and 512 x in floats), which keeps the
     * packing a small share of the products whatever the split of dW between the workers.
     */
    private static final int DW_STEPS = 512;
    /** Micro-panels of A (or panels of B) one packing task of {@link #weightGradient} copies. */
    private static final int PACK_PANELS = 8;

    private Gemm() {
    }

    static Tile select(String forced) {
        if (forced == null) {
            return F.vectorByteSize() >= 64 ? TILES[1] : TILES[0];
        }
        for (Tile t : TILES) {
            if (t.name().equals(forced)) {
                return t;
            }
        }
        throw new LsgException("system property lsg4j.gemm.tile: expected 5x2, 12x2 or 8x3, found " + forced);
    }

    /** The tile to multiply by weights packed in panels of {@code width} columns. */
    static Tile tileFor(int width) {
        if (TILE.width() == width) {
            return TILE;
        }
        for (Tile t : TILES) {
            if (t.width() == width) {
                return t;
            }
        }
        throw new IllegalArgumentException("no micro-tile is " + width + " columns wide");
    }

    /**
     * A linear layer {@code y = x W^T + b} on the workers.
     *
     * @param x rows x in at {@code x[xOff]}, row-major
     * @param y rows x out at {@code y[yOff]}, row-major, overwritten
     */
    public static void linear(Workers workers, PackedWeights w, float[] x, int xOff, int rows, float[] y, int yOff) {
        linear(tileFor(w.width()), workers, w, x, xOff, rows, y, yOff, true);
    }

    /**
     * {@code y += x W^T + b} (b when the weights have one). With the weight of a linear layer packed
     * by {@link PackedWeights#transposed} this is its input gradient, {@code dX += dY W}, which
     * sums over the layers that read the same X.
     *
     * @param x rows x in at {@code x[xOff]}, row-major
     * @param y rows x out at {@code y[yOff]}, row-major, accumulated
     */
    public static void linearAdd(Workers workers, PackedWeights w, float[] x, int xOff, int rows, float[] y, int yOff) {
        linear(tileFor(w.width()), workers, w, x, xOff, rows, y, yOff, false);
    }

    /**
     * {@link #linear} ({@code overwrite}) or {@link #linearAdd} with a given tile as wide as the
     * panels. A task is a block of MC rows of y by a group of its columns; it packs its rows of x a
     * KC-step block at a time, once per group. The columns are split into groups only as far as the
     * workers need tasks (about {@link #TASKS_PER_WORKER} each): a 4,096-row batch makes one group of
     * all the columns, so that x is packed once (packing it once per 768 columns cost a tenth of the
     * time of the 3072-column layers).
     */
    static void linear(Tile t, Workers workers, PackedWeights w, float[] x, int xOff, int rows, float[] y, int yOff,
                       boolean overwrite) {
        int in = w.in();
        int out = w.out();
        int mr = t.rows();
        int nr = t.width();
        int mc = t.mc();
        int kc = Math.max(1, Math.min(t.kc(), in));
        int chunks = (rows + mc - 1) / mc;
        int panels = (out + nr - 1) / nr;
        int wanted = Math.min(panels, Math.max(1, (TASKS_PER_WORKER * workers.count() + chunks - 1) / chunks));
        int groupPanels = (panels + wanted - 1) / wanted;
        int groups = (panels + groupPanels - 1) / groupPanels;
        float[] bias = w.bias();
        Scratch[] scratch = new Scratch[workers.count()];
        workers.run(groups * chunks, (task, worker) -> {
            if (scratch[worker] == null) {
                scratch[worker] = new Scratch(t, kc);
            }
            Scratch s = scratch[worker];
            int r0 = task % chunks * mc;
            int m = Math.min(mc, rows - r0);
            int p0 = task / chunks * groupPanels;
            int c0 = p0 * nr;
            int cols = Math.min(out, c0 + groupPanels * nr) - c0;
            int co = yOff + r0 * out + c0;
            for (int r = 0; bias != null && r < m; r++) {
                int row = co + r * out;
                if (overwrite) {
                    System.arraycopy(bias, c0, y, row, cols);
                } else {
                    for (int j = 0; j < cols; j++) {
                        y[row + j] += bias[c0 + j];
                    }
                }
            }
            boolean fromZero = overwrite && bias == null;
            for (int k0 = 0; k0 < in; k0 += kc) {
                int kb = Math.min(kc, in - k0);
                packRows(x, xOff + r0 * in + k0, in, m, kb, mr, s.a, 0);
                macro(t, s.a, 0, mr * kb, mr, m, w.panels(), (p0 * in + k0) * nr, in * nr, nr, cols, kb,
                        y, co, out, !fromZero || k0 > 0, s.edge, 0);
            }
        });
    }

    /** One worker's buffers for a linear layer: its packed block of x and an edge tile. */
    private static final class Scratch {
        final float[] a;
        final float[] edge;

        Scratch(Tile t, int kc) {
            a = new float[t.mc() * kc];
            edge = new float[t.rows() * t.width()];
        }
    }

    /**
     * The weight gradient of a linear layer, {@code dW += dY^T X}: each element gets its products
     * added one row at a time, rows in increasing order.
     *
     * @param dy rows x out at {@code dy[dyOff]}, row-major: the gradient of the layer's output
     * @param x  rows x in at {@code x[xOff]}, row-major: the layer's input
     * @param dw out x in at {@code dw[dwOff]}, row-major (the layout of the checkpoint's weight), accumulated
     */
    public static void weightGradient(Workers workers, float[] dy, int dyOff, float[] x, int xOff, int rows, int out,
                                      int in, float[] dw, int dwOff) {
        weightGradient(TILE, workers, dy, dyOff, x, xOff, rows, out, in, dw, dwOff);
    }

    static void weightGradient(Tile t, Workers workers, float[] dy, int dyOff, float[] x, int xOff, int rows, int out,
                               int in, float[] dw, int dwOff) {
        // dW (out x in) += A B with A(o, r) = dy[r][o] (out x rows) and B(r, i) = x[r][i] (rows x in)
        int mr = t.rows();
        int nr = t.width();
        int steps = Math.max(1, Math.min(DW_STEPS, rows));
        int aPanels = (out + mr - 1) / mr;
        int bPanels = (in + nr - 1) / nr;
        int aPackTasks = (aPanels + PACK_PANELS - 1) / PACK_PANELS;
        int bPackTasks = (bPanels + PACK_PANELS - 1) / PACK_PANELS;
        float[] ap = new float[aPanels * mr * steps];
        float[] bp = new float[bPanels * nr * steps];
        int groupPanels = NC / nr;
        int chunks = (out + t.mc() - 1) / t.mc();
        int groups = (bPanels + groupPanels - 1) / groupPanels;
        float[][] edges = new float[workers.count()][];
        for (int phase = 0; phase * steps < rows; phase++) {
            int k0 = phase * steps;
            int kn = Math.min(steps, rows - k0);
            workers.run(aPackTasks + bPackTasks, (task, worker) -> {
                if (task < aPackTasks) {
                    int r0 = task * PACK_PANELS * mr;
                    packSteps(dy, dyOff + k0 * out + r0, out, Math.min(PACK_PANELS * mr, out - r0), kn, mr, ap, r0 * kn);
                } else {
                    int c0 = (task - aPackTasks) * PACK_PANELS * nr;
                    packB(x, xOff + k0 * in + c0, in, kn, Math.min(PACK_PANELS * nr, in - c0), nr, bp, c0 * kn);
                }
            });
            workers.run(chunks * groups, (task, worker) -> {
                if (edges[worker] == null) {
                    edges[worker] = new float[mr * nr];
                }
                int r0 = task % chunks * t.mc();
                int c0 = task / chunks * groupPanels * nr;
                int m = Math.min(t.mc(), out - r0);
                int n = Math.min(groupPanels * nr, in - c0);
                for (int s0 = 0; s0 < kn; s0 += t.kc()) {
                    macro(t, ap, r0 * kn + s0 * mr, mr * kn, mr, m, bp, c0 * kn + s0 * nr, kn * nr, nr, n,
                            Math.min(t.kc(), kn - s0), dw, dwOff + r0 * in + c0, in, true, edges[worker], 0);
                }
            });
        }
    }

    /**
     * The bias gradient of a linear layer, {@code db[o] += sum_r dy[r][o]}, summed in row order.
     *
     * @param dy rows x out at {@code dy[dyOff]}, row-major
     * @param db out values at {@code db[dbOff]}, accumulated
     */
    public static void biasGradient(Workers workers, float[] dy, int dyOff, int rows, int out, float[] db, int dbOff) {
        int cols = 4 * L;
        workers.run((out + cols - 1) / cols, (task, worker) -> {
            int c0 = task * cols;
            int c1 = Math.min(out, c0 + cols);
            int j = c0;
            for (; j + L <= c1; j += L) {
                FloatVector acc = FloatVector.fromArray(F, db, dbOff + j);
                for (int r = 0; r < rows; r++) {
                    acc = acc.add(FloatVector.fromArray(F, dy, dyOff + r * out + j));
                }
                acc.intoArray(db, dbOff + j);
            }
            for (; j < c1; j++) {
                float s = db[dbOff + j];
                for (int r = 0; r < rows; r++) {
                    s += dy[dyOff + r * out + j];
                }
                db[dbOff + j] = s;
            }
        });
    }

    /**
     * {@code C (m x n) += A B}, or {@code C = A B} when {@code overwrite}, on the calling thread with
     * the JVM's tile, KC steps at a time: A(r, kk) at {@code a[ao + kk * lda + r]} with rows up to
     * the next multiple of {@link #MR} readable, B(kk, j) at {@code b[bo + kk * ldb + j]} with
     * columns up to the next multiple of {@link #NR} readable, C row-major at {@code c[co]} with
     * ldc. The narrower last column tile is computed in {@code work[workOff ..]} (MR x NR floats).
     */
    static void multiply(float[] a, int ao, int lda, float[] b, int bo, int ldb, int m, int n, int k,
                         float[] c, int co, int ldc, boolean overwrite, float[] work, int workOff) {
        Tile t = TILE;
        for (int k0 = 0; k0 < k; k0 += t.kc()) {
            macro(t, a, ao + k0 * lda, t.rows(), lda, m, b, bo + k0 * ldb, t.width(), ldb, n, Math.min(t.kc(), k - k0),
                    c, co, ldc, !overwrite || k0 > 0, work, workOff);
        }
    }

    /**
     * {@code C (m x n) += A B} ({@code C = A B} when not {@code load}) tile by tile, column panels outside so that one B panel serves all
     * rows: A's micro-panel i (rows i*MR ..) at {@code a[ao + i * astep]} with step lda, B's panel p
     * (columns p*NR ..) at {@code b[bo + p * bstep]} with step ldb.
     */
    private static void macro(Tile t, float[] a, int ao, int astep, int lda, int m, float[] b, int bo, int bstep,
                              int ldb, int n, int k, float[] c, int co, int ldc, boolean load, float[] edge,
                              int edgeOff) {
        int mr = t.rows();
        int nr = t.width();
        for (int p = 0; p * nr < n; p++) {
            int col = p * nr;
            int cols = Math.min(nr, n - col);
            for (int i = 0; i * mr < m; i++) {
                int row = i * mr;
                int rows = Math.min(mr, m - row);
                int ai = ao + i * astep;
                int bi = bo + p * bstep;
                int ci = co + row * ldc + col;
                if (cols == nr) {
                    tile(t, a, ai, lda, b, bi, ldb, k, c, ci, ldc, rows, load);
                } else {
                    // the last, narrower tile runs full width on a copy and copies back its columns
                    for (int r = 0; load && r < rows; r++) {
                        System.arraycopy(c, ci + r * ldc, edge, edgeOff + r * nr, cols);
                    }
                    tile(t, a, ai, lda, b, bi, ldb, k, edge, edgeOff, nr, rows, load);
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(edge, edgeOff + r * nr, c, ci + r * ldc, cols);
                    }
                }
            }
        }
    }

    /**
     * Packs A (rows x k) into micro-panels of mr rows, row r of panel i, step kk at
     * {@code ap[apOff + i * mr * k + kk * mr + r]}, from A whose steps' rows are consecutive:
     * A(r, kk) at {@code a[ao + kk * aks + r]}. Each step of a panel is one copy of its rows, zeros
     * past the last row, which the kernel computes but never stores. (A masked vector copy per step
     * took 30% of the weight gradient's time; System.arraycopy takes 12%.)
     */
    private static void packSteps(float[] a, int ao, int aks, int rows, int k, int mr, float[] ap, int apOff) {
        for (int kk = 0; kk < k; kk++) {
            for (int i0 = 0; i0 < rows; i0 += mr) {
                int h = Math.min(mr, rows - i0);
                int dst = apOff + i0 * k + kk * mr;
                System.arraycopy(a, ao + kk * aks + i0, ap, dst, h);
                if (h < mr) {
                    Arrays.fill(ap, dst + h, dst + mr, 0f);
                }
            }
        }
    }

    /**
     * The packing of {@link #packSteps} from A whose rows' steps are consecutive: A(r, kk) at
     * {@code a[ao + r * ars + kk]}, the last panel filled with copies of the last row. Four rows at a
     * time, each row's steps read in one run: a gather per step costs four times as much, one row at
     * a time half again.
     */
    private static void packRows(float[] a, int ao, int ars, int rows, int k, int mr, float[] ap, int apOff) {
        int last = rows - 1;
        for (int i0 = 0; i0 < rows; i0 += mr) {
            int r = 0;
            for (; r + 4 <= mr; r += 4) {
                int s0 = ao + Math.min(i0 + r, last) * ars;
                int s1 = ao + Math.min(i0 + r + 1, last) * ars;
                int s2 = ao + Math.min(i0 + r + 2, last) * ars;
                int s3 = ao + Math.min(i0 + r + 3, last) * ars;
                for (int kk = 0, dst = apOff + i0 * k + r; kk < k; kk++, dst += mr) {
                    ap[dst] = a[s0 + kk];
                    ap[dst + 1] = a[s1 + kk];
                    ap[dst + 2] = a[s2 + kk];
                    ap[dst + 3] = a[s3 + kk];
                }
            }
            for (; r < mr; r++) {
                int src = ao + Math.min(i0 + r, last) * ars;
                for (int kk = 0, dst = apOff + i0 * k + r; kk < k; kk++, dst += mr) {
                    ap[dst] = a[src + kk];
                }
            }
        }
    }

    /**
     * Packs B (k x n, row-major at {@code b[bo]} with ldb) into panels of nr columns: panel p, step
     * kk at {@code bp[bpOff + (p * k + kk) * nr]}, the narrower last panel padded with zeros.
     */
    private static void packB(float[] b, int bo, int ldb, int k, int n, int nr, float[] bp, int bpOff) {
        for (int kk = 0; kk < k; kk++) {
            int src = bo + kk * ldb;
            for (int col = 0, dst = bpOff + kk * nr; col < n; col += nr, dst += k * nr) {
                for (int v = 0; v < nr; v += L) {
                    int j = col + v;
                    if (j + L <= n) {
                        FloatVector.fromArray(F, b, src + j).intoArray(bp, dst + v);
                    } else {
                        FloatVector.fromArray(F, b, src + j, F.indexInRange(j, n)).intoArray(bp, dst + v);
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel: {@code C += A B} ({@code C = A B} when not {@code load}) on a tile of
     * {@code rows <= MR} rows and NR columns, A and B as in the class comment. Rows past {@code rows} are computed on whatever A holds there and
     * stored to the last real row before it, which is stored last: so they change nothing.
     */
    static void tile(Tile t, float[] a, int ao, int lda, float[] b, int bo, int ldb, int k,
                     float[] c, int co, int ldc, int rows, boolean load) {
        switch (t.rows()) {
            case 5 -> tile5x2(a, ao, lda, b, bo, ldb, k, c, co, ldc, rows, load);
            case 12 -> tile12x2(a, ao, lda, b, bo, ldb, k, c, co, ldc, rows, load);
            default -> tile8x3(a, ao, lda, b, bo, ldb, k, c, co, ldc, rows, load);
        }
    }

    private static void tile5x2(float[] a, int ao, int lda, float[] b, int bo, int ldb, int k,
                                 float[] c, int co, int ldc, int rows, boolean load) {
        FloatVector zero = FloatVector.zero(F);
        int o0 = co;
        int o1 = co + Math.min(1, rows - 1) * ldc;
        int o2 = co + Math.min(2, rows - 1) * ldc;
        int o3 = co + Math.min(3, rows - 1) * ldc;
        int o4 = co + Math.min(4, rows - 1) * ldc;
        FloatVector c0a = load ? FloatVector.fromArray(F, c, o0) : zero; FloatVector c0b = load ? FloatVector.fromArray(F, c, o0 + L) : zero;
        FloatVector c1a = load ? FloatVector.fromArray(F, c, o1) : zero; FloatVector c1b = load ? FloatVector.fromArray(F, c, o1 + L) : zero;
        FloatVector c2a = load ? FloatVector.fromArray(F, c, o2) : zero; FloatVector c2b = load ? FloatVector.fromArray(F, c, o2 + L) : zero;
        FloatVector c3a = load ? FloatVector.fromArray(F, c, o3) : zero; FloatVector c3b = load ? FloatVector.fromArray(F, c, o3 + L) : zero;
        FloatVector c4a = load ? FloatVector.fromArray(F, c, o4) : zero; FloatVector c4b = load ? FloatVector.fromArray(F, c, o4 + L) : zero;
        for (int kk = 0; kk < k; kk++) {
            int ak = ao + kk * lda;
            int bk = bo + kk * ldb;
            FloatVector ba = FloatVector.fromArray(F, b, bk); FloatVector bb = FloatVector.fromArray(F, b, bk + L);
            FloatVector av = FloatVector.broadcast(F, a[ak]);
            c0a = av.fma(ba, c0a); c0b = av.fma(bb, c0b);
            av = FloatVector.broadcast(F, a[ak + 1]);
            c1a = av.fma(ba, c1a); c1b = av.fma(bb, c1b);
            av = FloatVector.broadcast(F, a[ak + 2]);
            c2a = av.fma(ba, c2a); c2b = av.fma(bb, c2b);
            av = FloatVector.broadcast(F, a[ak + 3]);
            c3a = av.fma(ba, c3a); c3b = av.fma(bb, c3b);
            av = FloatVector.broadcast(F, a[ak + 4]);
            c4a = av.fma(ba, c4a); c4b = av.fma(bb, c4b);
        }
        c4b.intoArray(c, o4 + L); c4a.intoArray(c, o4);
        c3b.intoArray(c, o3 + L); c3a.intoArray(c, o3);
        c2b.intoArray(c, o2 + L); c2a.intoArray(c, o2);
        c1b.intoArray(c, o1 + L); c1a.intoArray(c, o1);
        c0b.intoArray(c, o0 + L); c0a.intoArray(c, o0);
    }

    private static void tile12x2(float[] a, int ao, int lda, float[] b, int bo, int ldb, int k,
                                 float[] c, int co, int ldc, int rows, boolean load) {
        FloatVector zero = FloatVector.zero(F);
        int o0 = co;
        int o1 = co + Math.min(1, rows - 1) * ldc;
        int o2 = co + Math.min(2, rows - 1) * ldc;
        int o3 = co + Math.min(3, rows - 1) * ldc;
        int o4 = co + Math.min(4, rows - 1) * ldc;
        int o5 = co + Math.min(5, rows - 1) * ldc;
        int o6 = co + Math.min(6, rows - 1) * ldc;
        int o7 = co + Math.min(7, rows - 1) * ldc;
        int o8 = co + Math.min(8, rows - 1) * ldc;
        int o9 = co + Math.min(9, rows - 1) * ldc;
        int o10 = co + Math.min(10, rows - 1) * ldc;
        int o11 = co + Math.min(11, rows - 1) * ldc;
        FloatVector c0a = load ? FloatVector.fromArray(F, c, o0) : zero; FloatVector c0b = load ? FloatVector.fromArray(F, c, o0 + L) : zero;
        FloatVector c1a = load ? FloatVector.fromArray(F, c, o1) : zero; FloatVector c1b = load ? FloatVector.fromArray(F, c, o1 + L) : zero;
        FloatVector c2a = load ? FloatVector.fromArray(F, c, o2) : zero; FloatVector c2b = load ? FloatVector.fromArray(F, c, o2 + L) : zero;
        FloatVector c3a = load ? FloatVector.fromArray(F, c, o3) : zero; FloatVector c3b = load ? FloatVector.fromArray(F, c, o3 + L) : zero;
        FloatVector c4a = load ? FloatVector.fromArray(F, c, o4) : zero; FloatVector c4b = load ? FloatVector.fromArray(F, c, o4 + L) : zero;
        FloatVector c5a = load ? FloatVector.fromArray(F, c, o5) : zero; FloatVector c5b = load ? FloatVector.fromArray(F, c, o5 + L) : zero;
        FloatVector c6a = load ? FloatVector.fromArray(F, c, o6) : zero; FloatVector c6b = load ? FloatVector.fromArray(F, c, o6 + L) : zero;
        FloatVector c7a = load ? FloatVector.fromArray(F, c, o7) : zero; FloatVector c7b = load ? FloatVector.fromArray(F, c, o7 + L) : zero;
        FloatVector c8a = load ? FloatVector.fromArray(F, c, o8) : zero; FloatVector c8b = load ? FloatVector.fromArray(F, c, o8 + L) : zero;
        FloatVector c9a = load ? FloatVector.fromArray(F, c, o9) : zero; FloatVector c9b = load ? FloatVector.fromArray(F, c, o9 + L) : zero;
        FloatVector c10a = load ? FloatVector.fromArray(F, c, o10) : zero; FloatVector c10b = load ? FloatVector.fromArray(F, c, o10 + L) : zero;
        FloatVector c11a = load ? FloatVector.fromArray(F, c, o11) : zero; FloatVector c11b = load ? FloatVector.fromArray(F, c, o11 + L) : zero;
        for (int kk = 0; kk < k; kk++) {
            int ak = ao + kk * lda;
            int bk = bo + kk * ldb;
            FloatVector ba = FloatVector.fromArray(F, b, bk); FloatVector bb = FloatVector.fromArray(F, b, bk + L);
            FloatVector av = FloatVector.broadcast(F, a[ak]);
            c0a = av.fma(ba, c0a); c0b = av.fma(bb, c0b);
            av = FloatVector.broadcast(F, a[ak + 1]);
            c1a = av.fma(ba, c1a); c1b = av.fma(bb, c1b);
            av = FloatVector.broadcast(F, a[ak + 2]);
            c2a = av.fma(ba, c2a); c2b = av.fma(bb, c2b);
            av = FloatVector.broadcast(F, a[ak + 3]);
            c3a = av.fma(ba, c3a); c3b = av.fma(bb, c3b);
            av = FloatVector.broadcast(F, a[ak + 4]);
            c4a = av.fma(ba, c4a); c4b = av.fma(bb, c4b);
            av = FloatVector.broadcast(F, a[ak + 5]);
            c5a = av.fma(ba, c5a); c5b = av.fma(bb, c5b);
            av = FloatVector.broadcast(F, a[ak + 6]);
            c6a = av.fma(ba, c6a); c6b = av.fma(bb, c6b);
            av = FloatVector.broadcast(F, a[ak + 7]);
            c7a = av.fma(ba, c7a); c7b = av.fma(bb, c7b);
            av = FloatVector.broadcast(F, a[ak + 8]);
            c8a = av.fma(ba, c8a); c8b = av.fma(bb, c8b);
            av = FloatVector.broadcast(F, a[ak + 9]);
            c9a = av.fma(ba, c9a); c9b = av.fma(bb, c9b);
            av = FloatVector.broadcast(F, a[ak + 10]);
            c10a = av.fma(ba, c10a); c10b = av.fma(bb, c10b);
            av = FloatVector.broadcast(F, a[ak + 11]);
            c11a = av.fma(ba, c11a); c11b = av.fma(bb, c11b);
        }
        c11b.intoArray(c, o11 + L); c11a.intoArray(c, o11);
        c10b.intoArray(c, o10 + L); c10a.intoArray(c, o10);
        c9b.intoArray(c, o9 + L); c9a.intoArray(c, o9);
        c8b.intoArray(c, o8 + L); c8a.intoArray(c, o8);
        c7b.intoArray(c, o7 + L); c7a.intoArray(c, o7);
        c6b.intoArray(c, o6 + L); c6a.intoArray(c, o6);
        c5b.intoArray(c, o5 + L); c5a.intoArray(c, o5);
        c4b.intoArray(c, o4 + L); c4a.intoArray(c, o4);
        c3b.intoArray(c, o3 + L); c3a.intoArray(c, o3);
        c2b.intoArray(c, o2 + L); c2a.intoArray(c, o2);
        c1b.intoArray(c, o1 + L); c1a.intoArray(c, o1);
        c0b.intoArray(c, o0 + L); c0a.intoArray(c, o0);
    }

    private static void tile8x3(float[] a, int ao, int lda, float[] b, int bo, int ldb, int k,
                                 float[] c, int co, int ldc, int rows, boolean load) {
        FloatVector zero = FloatVector.zero(F);
        int o0 = co;
        int o1 = co + Math.min(1, rows - 1) * ldc;
        int o2 = co + Math.min(2, rows - 1) * ldc;
        int o3 = co + Math.min(3, rows - 1) * ldc;
        int o4 = co + Math.min(4, rows - 1) * ldc;
        int o5 = co + Math.min(5, rows - 1) * ldc;
        int o6 = co + Math.min(6, rows - 1) * ldc;
        int o7 = co + Math.min(7, rows - 1) * ldc;
        FloatVector c0a = load ? FloatVector.fromArray(F, c, o0) : zero; FloatVector c0b = load ? FloatVector.fromArray(F, c, o0 + L) : zero; FloatVector c0c = load ? FloatVector.fromArray(F, c, o0 + 2 * L) : zero;
        FloatVector c1a = load ? FloatVector.fromArray(F, c, o1) : zero; FloatVector c1b = load ? FloatVector.fromArray(F, c, o1 + L) : zero; FloatVector c1c = load ? FloatVector.fromArray(F, c, o1 + 2 * L) : zero;
        FloatVector c2a = load ? FloatVector.fromArray(F, c, o2) : zero; FloatVector c2b = load ? FloatVector.fromArray(F, c, o2 + L) : zero; FloatVector c2c = load ? FloatVector.fromArray(F, c, o2 + 2 * L) : zero;
        FloatVector c3a = load ? FloatVector.fromArray(F, c, o3) : zero; FloatVector c3b = load ? FloatVector.fromArray(F, c, o3 + L) : zero; FloatVector c3c = load ? FloatVector.fromArray(F, c, o3 + 2 * L) : zero;
        FloatVector c4a = load ? FloatVector.fromArray(F, c, o4) : zero; FloatVector c4b = load ? FloatVector.fromArray(F, c, o4 + L) : zero; FloatVector c4c = load ? FloatVector.fromArray(F, c, o4 + 2 * L) : zero;
        FloatVector c5a = load ? FloatVector.fromArray(F, c, o5) : zero; FloatVector c5b = load ? FloatVector.fromArray(F, c, o5 + L) : zero; FloatVector c5c = load ? FloatVector.fromArray(F, c, o5 + 2 * L) : zero;
        FloatVector c6a = load ? FloatVector.fromArray(F, c, o6) : zero; FloatVector c6b = load ? FloatVector.fromArray(F, c, o6 + L) : zero; FloatVector c6c = load ? FloatVector.fromArray(F, c, o6 + 2 * L) : zero;
        FloatVector c7a = load ? FloatVector.fromArray(F, c, o7) : zero; FloatVector c7b = load ? FloatVector.fromArray(F, c, o7 + L) : zero; FloatVector c7c = load ? FloatVector.fromArray(F, c, o7 + 2 * L) : zero;
        for (int kk = 0; kk < k; kk++) {
            int ak = ao + kk * lda;
            int bk = bo + kk * ldb;
            FloatVector ba = FloatVector.fromArray(F, b, bk); FloatVector bb = FloatVector.fromArray(F, b, bk + L); FloatVector bc = FloatVector.fromArray(F, b, bk + 2 * L);
            FloatVector av = FloatVector.broadcast(F, a[ak]);
            c0a = av.fma(ba, c0a); c0b = av.fma(bb, c0b); c0c = av.fma(bc, c0c);
            av = FloatVector.broadcast(F, a[ak + 1]);
            c1a = av.fma(ba, c1a); c1b = av.fma(bb, c1b); c1c = av.fma(bc, c1c);
            av = FloatVector.broadcast(F, a[ak + 2]);
            c2a = av.fma(ba, c2a); c2b = av.fma(bb, c2b); c2c = av.fma(bc, c2c);
            av = FloatVector.broadcast(F, a[ak + 3]);
            c3a = av.fma(ba, c3a); c3b = av.fma(bb, c3b); c3c = av.fma(bc, c3c);
            av = FloatVector.broadcast(F, a[ak + 4]);
            c4a = av.fma(ba, c4a); c4b = av.fma(bb, c4b); c4c = av.fma(bc, c4c);
            av = FloatVector.broadcast(F, a[ak + 5]);
            c5a = av.fma(ba, c5a); c5b = av.fma(bb, c5b); c5c = av.fma(bc, c5c);
            av = FloatVector.broadcast(F, a[ak + 6]);
            c6a = av.fma(ba, c6a); c6b = av.fma(bb, c6b); c6c = av.fma(bc, c6c);
            av = FloatVector.broadcast(F, a[ak + 7]);
            c7a = av.fma(ba, c7a); c7b = av.fma(bb, c7b); c7c = av.fma(bc, c7c);
        }
        c7c.intoArray(c, o7 + 2 * L); c7b.intoArray(c, o7 + L); c7a.intoArray(c, o7);
        c6c.intoArray(c, o6 + 2 * L); c6b.intoArray(c, o6 + L); c6a.intoArray(c, o6);
        c5c.intoArray(c, o5 + 2 * L); c5b.intoArray(c, o5 + L); c5a.intoArray(c, o5);
        c4c.intoArray(c, o4 + 2 * L); c4b.intoArray(c, o4 + L); c4a.intoArray(c, o4);
        c3c.intoArray(c, o3 + 2 * L); c3b.intoArray(c, o3 + L); c3a.intoArray(c, o3);
        c2c.intoArray(c, o2 + 2 * L); c2b.intoArray(c, o2 + L); c2a.intoArray(c, o2);
        c1c.intoArray(c, o1 + 2 * L); c1b.intoArray(c, o1 + L); c1a.intoArray(c, o1);
        c0c.intoArray(c, o0 + 2 * L); c0b.intoArray(c, o0 + L); c0a.intoArray(c, o0);
    }
}
