package org.lsg4j.model;

import org.lsg4j.kernels.Attention;

/**
 * LSG self-attention (BERT's {@code attention.self.{query,key,value}}, named by the family) over sequences of
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

    LsgSelfAttention(WeightReader w, String prefix, Family.LayerSpec names, LsgConfig config) {
        int d = config.hiddenSize();
        this.c = config;
        this.query = Linear.load(w, prefix + names.query(), d, d);
        this.key = Linear.load(w, prefix + names.key(), d, d);
        this.value = Linear.load(w, prefix + names.value(), d, d);
        this.sparse = new SparseSelection(config);
    }

    /**
     * Projects {@code ws.x} (n x T x d) to ws.q, ws.k, ws.v and leaves the context (n x T x d,
     * heads concatenated) in ws.q: each query's context overwrites its own query once used.
     *
     * @param visible n x tp: whether each ordinary position is visible as a key
     */
    void forward(Workspace ws, boolean[][] visible, LshDraws draws) {
        LsgGeometry geo = ws.geometry;
        int n = ws.n;
        int tp = geo.paddedLength();
        int g = c.numGlobalTokens();
        int rows = geo.rows();
        int d = c.hiddenSize();
        int heads = c.numAttentionHeads();
        query.forward(ws.workers, ws.x, 0, n * rows, ws.q, 0);
        key.forward(ws.workers, ws.x, 0, n * rows, ws.k, 0);
        value.forward(ws.workers, ws.x, 0, n * rows, ws.v, 0);
        boolean longPath = geo.longPath();
        boolean withSparse = geo.withSparseKeys();
        float[][] lsh = withSparse ? sparse.drawLsh(draws) : new float[0][];
        SparseKeys[] sparseKeys = ws.sparse;
        if (withSparse) {
            ws.workers.run(n * heads, (task, worker) -> {
                int r = task / heads;
                sparse.select(sparseKeys[r], task % heads, ws.q, ws.k, ws.v, r * rows * d, tp, visible[r], lsh,
                        ws.scratch[worker].selection);
            });
        }
        ws.workers.run(n * heads, (task, worker) -> {
            int r = task / heads;
            Sequence s = new Sequence(ws, ws.scratch[worker], r * rows * d, task % heads, visible[r]);
            if (!longPath) {
                s.attendAll(0, rows, tp);
            } else {
                s.attendAll(0, g, tp);
                for (int block = 0; block < geo.blocks(); block++) {
                    s.attendBlock(block, geo, withSparse ? sparseKeys[r] : null);
                }
            }
        });
    }

    /**
     * One head of one sequence: lists the keys a group of queries sees, gathers them into the
     * worker's scratch, then attends. A key source is an offset into k/v, or {@code -1 - i} for
     * sparse key i of this head.
     */
    private final class Sequence {
        private final Workspace ws;
        private final Workspace.Scratch scratch;
        private final int base;
        private final int head;
        private final int col;
        private final boolean[] visible;
        private final int dh = c.headDim();
        private final int d = c.hiddenSize();
        private final int g = c.numGlobalTokens();
        private int count;

        Sequence(Workspace ws, Workspace.Scratch scratch, int base, int head, boolean[] visible) {
            this.ws = ws;
            this.scratch = scratch;
            this.base = base;
            this.head = head;
            this.col = head * dh;
            this.visible = visible;
        }

        /** Queries of rows [from, to) attend to every visible key of the sequence. */
        void attendAll(int from, int to, int tp) {
            count = 0;
            for (int row = 0; row < g + tp; row++) {
                if (row < g || visible[row - g]) {
                    scratch.sources[count++] = base + row * d + col;
                }
            }
            attend(from, to - from, null);
        }

        /** Queries of block i attend to the globals, their sparse windows and the local window. */
        void attendBlock(int block, LsgGeometry geo, SparseKeys sparse) {
            int b = c.blockSize();
            count = 0;
            for (int row = 0; row < g; row++) {
                scratch.sources[count++] = base + row * d + col;
            }
            if (sparse != null) {
                for (int p : geo.window(block)) {
                    if (p >= 0 && sparse.visible()[head * sparse.length() + p]) {
                        scratch.sources[count++] = -1 - (head * sparse.length() + p);
                    }
                }
            }
            for (int p = geo.localFrom(block); p < geo.localTo(block); p++) {
                if (visible[p]) {
                    scratch.sources[count++] = base + (g + p) * d + col;
                }
            }
            attend(g + block * b, b, sparse);
        }

        /** Gathers the listed keys (transposed) and values, then attends for rows [firstRow, firstRow + rows). */
        private void attend(int firstRow, int rows, SparseKeys sparse) {
            int ldk = Attention.paddedKeys(count);
            float[] kt = scratch.keysT;
            float[] vs = scratch.values;
            for (int j = 0; j < count; j++) {
                int src = scratch.sources[j];
                float[] ks = ws.k;
                float[] vsrc = ws.v;
                if (src < 0) {
                    src = (-1 - src) * dh;
                    ks = sparse.keys();
                    vsrc = sparse.values();
                }
                for (int e = 0; e < dh; e++) {
                    kt[e * ldk + j] = ks[src + e];
                }
                System.arraycopy(vsrc, src, vs, j * dh, dh);
            }
            java.util.Arrays.fill(vs, count * dh, ldk * dh, 0f);
            int at = base + firstRow * d + col;
            Attention.attend(ws.q, at, d, rows, kt, vs, count, ldk, dh, scratch.scores, ws.q, at, d);
        }
    }
}
