package org.lsg4j.model;

import org.lsg4j.kernels.Attention;

import java.util.stream.IntStream;

/**
 * LSG self-attention ({@code attention.self.{query,key,value}}) over sequences of
 * {@code T = g + tp} rows: g global tokens then tp ordinary positions, tp a multiple of block_size
 * on the long path.
 * <ul>
 * <li>Short path ({@code tp <= 2b}): every query attends to all T keys.</li>
 * <li>Long path: the global queries attend to all T keys; the queries of block i (ordinary
 * positions {@code [i*b, (i+1)*b)}) attend to the g global keys, the sparse keys of their two
 * sparse windows, and the local keys {@code [(i-1)*b, (i+2)*b)}.</li>
 * </ul>
 * Global keys are always visible; masked and out-of-range keys take no part (their probability is
 * exactly zero in the reference, whose additive mask is the most negative float).
 */
final class LsgSelfAttention {
    private final LsgConfig c;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final SparseSelection sparse;

    LsgSelfAttention(WeightReader w, String prefix, LsgConfig config) {
        int d = config.hiddenSize();
        this.c = config;
        this.query = Linear.load(w, prefix + "query", d, d);
        this.key = Linear.load(w, prefix + "key", d, d);
        this.value = Linear.load(w, prefix + "value", d, d);
        this.sparse = new SparseSelection(config);
    }

    /** Whether sequences of tp ordinary positions take the local/sparse/global (long) path. */
    static boolean isLongPath(LsgConfig c, int tp) {
        return tp > 2 * c.blockSize();
    }

    /**
     * @param x       n x T x d hidden states
     * @param visible n x tp: whether each ordinary position is visible as a key
     * @param windows the sparse windows of each block (long path with sparse keys), else null
     * @return n x T x d context (heads concatenated)
     */
    float[] forward(float[] x, int n, int tp, boolean[][] visible, int[][] windows, LshDraws draws) {
        int g = c.numGlobalTokens();
        int rows = g + tp;
        int d = c.hiddenSize();
        float[] q = query.forward(x, n * rows);
        float[] k = key.forward(x, n * rows);
        float[] v = value.forward(x, n * rows);
        float[] context = new float[n * rows * d];
        boolean longPath = isLongPath(c, tp);
        boolean withSparse = longPath && c.hasSparseKeys();
        float[][] lsh = withSparse ? sparse.drawLsh(draws) : new float[0][];
        SparseKeys[] sparseKeys = new SparseKeys[n];
        if (withSparse) {
            IntStream.range(0, n).parallel().forEach(r ->
                    sparseKeys[r] = sparse.select(q, k, v, r * rows * d, tp, visible[r], lsh));
        }
        IntStream.range(0, n * c.numAttentionHeads()).parallel().forEach(task -> {
            int r = task / c.numAttentionHeads();
            int head = task % c.numAttentionHeads();
            Sequence s = new Sequence(q, k, v, context, r * rows * d, head, visible[r]);
            if (!longPath) {
                s.attendAll(0, rows, tp);
            } else {
                s.attendAll(0, g, tp);
                for (int block = 0; block < tp / c.blockSize(); block++) {
                    s.attendBlock(block, tp, sparseKeys[r], windows == null ? null : windows[block]);
                }
            }
        });
        return context;
    }

    /** One head of one sequence: gathers the keys a group of queries sees, then attends. */
    private final class Sequence {
        private final float[] q;
        private final float[] k;
        private final float[] v;
        private final float[] context;
        private final int base;
        private final int col;
        private final boolean[] visible;
        private final int dh = c.headDim();
        private final int d = c.hiddenSize();
        private final int g = c.numGlobalTokens();
        private float[] keys = new float[0];
        private float[] values = new float[0];
        private float[] scores = new float[0];
        private int count;

        Sequence(float[] q, float[] k, float[] v, float[] context, int base, int head, boolean[] visible) {
            this.q = q;
            this.k = k;
            this.v = v;
            this.context = context;
            this.base = base;
            this.col = head * dh;
            this.visible = visible;
        }

        /** Queries of rows [from, to) attend to every visible key of the sequence. */
        void attendAll(int from, int to, int tp) {
            reset(g + tp);
            for (int row = 0; row < g + tp; row++) {
                if (row < g || visible[row - g]) {
                    add(k, v, base + row * d + col);
                }
            }
            attend(from, to - from);
        }

        /** Queries of block i attend to the globals, their sparse windows and the local window. */
        void attendBlock(int block, int tp, SparseKeys sparse, int[] window) {
            int b = c.blockSize();
            reset(g + (window == null ? 0 : window.length) + 3 * b);
            for (int row = 0; row < g; row++) {
                add(k, v, base + row * d + col);
            }
            if (window != null) {
                int head = col / dh;
                for (int p : window) {
                    if (p >= 0 && sparse.visible()[head * sparse.length() + p]) {
                        add(sparse.keys(), sparse.values(), (head * sparse.length() + p) * dh);
                    }
                }
            }
            for (int p = Math.max(0, (block - 1) * b); p < Math.min(tp, (block + 2) * b); p++) {
                if (visible[p]) {
                    add(k, v, base + (g + p) * d + col);
                }
            }
            attend(g + block * b, b);
        }

        private void reset(int capacity) {
            if (keys.length < capacity * dh) {
                keys = new float[capacity * dh];
                values = new float[capacity * dh];
                scores = new float[capacity];
            }
            count = 0;
        }

        private void add(float[] ks, float[] vs, int offset) {
            System.arraycopy(ks, offset, keys, count * dh, dh);
            System.arraycopy(vs, offset, values, count * dh, dh);
            count++;
        }

        private void attend(int firstRow, int rows) {
            Attention.attend(q, base + firstRow * d + col, d, rows, keys, values, count, dh,
                    scores, context, base + firstRow * d + col, d);
        }
    }
}
