package org.lsg4j.model;

import org.lsg4j.kernels.Attention;
import org.lsg4j.kernels.VectorMath;

import java.util.Arrays;
import java.util.List;

/**
 * LSG self-attention (BERT's {@code attention.self.{query,key,value}}, named by the family) over
 * sequences of {@code T = g + tp} rows: g global tokens then tp ordinary positions, tp a multiple
 * of block_size on the long path (see {@link LsgGeometry}).
 * <ul>
 * <li>Short path: every query attends to all T keys.</li>
 * <li>Long path: the global queries attend to all T keys; the queries of block i (ordinary
 * positions {@code [i*b, (i+1)*b)}) attend to the g global keys, the sparse keys of their two
 * sparse windows, and the local keys {@code [(i-1)*b, (i+2)*b)}.</li>
 * </ul>
 * Global keys are always visible; masked and out-of-range keys take no part (their probability is
 * exactly zero in the reference, whose additive mask is the most negative float), and so no
 * gradient reaches them either.
 */
final class LsgSelfAttention {
    private final LsgConfig c;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final SparseSelection sparse;

    /** What the backward pass reads: q, k, v of every row, the sparse keys and how they were made. */
    static final class Tape {
        float[] q;
        float[] k;
        float[] v;
        SparseKeys[] sparse;   // per sequence, or empty
        SparseMap[][] maps;    // per sequence and head
        float[][] lsh;         // the lsh draws the forward pass used (replayed when the layer is recomputed)
        Dropout dropout;       // the training pass's dropout on the probabilities, or null
        int site;              // its site (Dropout.attentionProbabilities of the layer application)

        /** The probability dropout of this tape, or null when there is none. */
        Dropout probabilityDropout() {
            return dropout != null && dropout.attentionP() > 0 ? dropout : null;
        }
    }

    LsgSelfAttention(WeightReader w, String prefix, Family.LayerSpec names, LsgConfig config) {
        int d = config.hiddenSize();
        this.c = config;
        this.query = Linear.load(w, prefix + names.query(), d, d);
        this.key = Linear.load(w, prefix + names.key(), d, d);
        this.value = Linear.load(w, prefix + names.value(), d, d);
        this.sparse = new SparseSelection(config);
    }

    /** The query, key and value projections. */
    List<Linear> linears() {
        return List.of(query, key, value);
    }

    /**
     * Projects {@code ws.x} (n x T x d) to ws.q, ws.k, ws.v and leaves the context (n x T x d,
     * heads concatenated) in ws.q: each query's context overwrites its own query once used.
     *
     * @param visible n x tp: whether each ordinary position is visible as a key
     * @param tape    receives what the backward pass needs, or null
     */
    void forward(Workspace ws, boolean[][] visible, LshDraws.Sequence draws, Tape tape) {
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
        if (tape != null) {
            tape.lsh = lsh;
        }
        SparseMap[][] maps = null;
        if (tape != null) {
            tape.q = ws.q.clone();
            tape.k = ws.k.clone();
            tape.v = ws.v.clone();
            sparseKeys = new SparseKeys[ws.sparse.length];
            maps = new SparseMap[ws.sparse.length][heads];
            for (int r = 0; r < sparseKeys.length; r++) {
                sparseKeys[r] = SparseKeys.allocate(heads, geo.sparseLength(), c.headDim());
                for (int j = 0; j < heads; j++) {
                    maps[r][j] = new SparseMap(Math.max(tp, geo.sparseLength()));
                }
            }
            tape.sparse = sparseKeys;
            tape.maps = maps;
        }
        SparseKeys[] keys = sparseKeys;
        SparseMap[][] recorded = maps;
        if (withSparse) {
            ws.workers.run(n * heads, (task, worker) -> {
                int r = task / heads;
                int j = task % heads;
                sparse.select(keys[r], j, ws.q, ws.k, ws.v, r * rows * d, tp, visible[r], lsh,
                        ws.scratch[worker].selection, recorded == null ? null : recorded[r][j]);
            });
        }
        ws.workers.run(n * heads, (task, worker) -> {
            int r = task / heads;
            Sequence s = new Sequence(ws.k, ws.v, ws.scratch[worker], r * rows * d, task % heads, visible[r],
                    withSparse ? keys[r] : null, tape);
            s.listAll(tp);
            if (!longPath) {
                s.attend(ws.q, 0, rows);
            } else {
                s.attend(ws.q, 0, g);
                for (int block = 0; block < geo.blocks(); block++) {
                    s.listBlock(block, geo);
                    s.attend(ws.q, g + block * c.blockSize(), c.blockSize());
                }
            }
        });
    }

    /**
     * The backward pass: from the gradient of the context (n x T x d) and the tape, the gradients
     * of q, k and v (through the attention and the sparse keys), then of the projections' weights
     * and of their input x, written to {@code dx}.
     *
     * @param x    the forward input (n x T x d)
     * @param dctx the gradient of the context
     * @param dx   receives the gradient of x (written)
     */
    void backward(Workspace ws, boolean[][] visible, Tape tape, float[] x, float[] dctx, float[] dx) {
        LsgGeometry geo = ws.geometry;
        int n = ws.n;
        int tp = geo.paddedLength();
        int g = c.numGlobalTokens();
        int rows = geo.rows();
        int d = c.hiddenSize();
        int dh = c.headDim();
        int heads = c.numAttentionHeads();
        float[] dq = new float[n * rows * d];
        float[] dk = new float[n * rows * d];
        float[] dv = new float[n * rows * d];
        boolean withSparse = geo.withSparseKeys();
        SparseKeys[] dSparse = new SparseKeys[withSparse ? n : 0];
        for (int r = 0; r < dSparse.length; r++) {
            dSparse[r] = SparseKeys.allocate(heads, geo.sparseLength(), dh);
        }
        ws.workers.run(n * heads, (task, worker) -> {
            int r = task / heads;
            int j = task % heads;
            Sequence s = new Sequence(tape.k, tape.v, ws.scratch[worker], r * rows * d, j, visible[r],
                    withSparse ? tape.sparse[r] : null, tape);
            s.listAll(tp);
            if (!geo.longPath()) {
                s.attendBackward(tape.q, 0, rows, dctx, dq, dk, dv, null);
            } else {
                s.attendBackward(tape.q, 0, g, dctx, dq, dk, dv, null);
                for (int block = 0; block < geo.blocks(); block++) {
                    s.listBlock(block, geo);
                    s.attendBackward(tape.q, g + block * c.blockSize(), c.blockSize(), dctx, dq, dk, dv,
                            withSparse ? dSparse[r] : null);
                }
            }
            if (withSparse) {
                sparseBackward(tape.maps[r][j], dSparse[r], j, tape, r * rows * d, dq, dk, dv);
            }
        });
        query.backward(ws.workers, x, 0, dq, 0, n * rows, dx, 0, false);
        key.backward(ws.workers, x, 0, dk, 0, n * rows, dx, 0, true);
        value.backward(ws.workers, x, 0, dv, 0, n * rows, dx, 0, true);
    }

    /**
     * The sparse keys' gradient back to the keys and values they were made from:
     * {@code dk[source] += coef dK[slot]}; for bos_pooling also through the softmax weights,
     * {@code ds_m = w_m (dw_m - sum w dw)} with {@code dw_m = dK.k_m + dV.v_m}, into q0 and the keys.
     */
    private void sparseBackward(SparseMap map, SparseKeys dSparse, int j, Tape tape, int base, float[] dq,
                                float[] dk, float[] dv) {
        int d = c.hiddenSize();
        int dh = c.headDim();
        int col = j * dh;
        int kBase = base + c.numGlobalTokens() * d;
        int len = dSparse.length();
        float[] gk = dSparse.keys();
        float[] gv = dSparse.values();
        for (int i = 0; i < map.size; i++) {
            int src = kBase + map.source[i] * d + col;
            int s = (j * len + map.slot[i]) * dh;
            VectorMath.axpy(map.coef[i], gk, s, dk, src, dh);
            VectorMath.axpy(map.coef[i], gv, s, dv, src, dh);
        }
        if (!map.softmaxGroups) {
            return;
        }
        int f = c.sparsityFactor();
        float scale = (float) (1.0 / Math.sqrt(dh));
        int q0 = kBase + col;   // the query of the first ordinary position
        float[] dw = new float[f];
        for (int i0 = 0; i0 < map.size; i0 += f) {
            int s = (j * len + map.slot[i0]) * dh;
            double mean = 0;
            for (int m = 0; m < f; m++) {
                int src = kBase + map.source[i0 + m] * d + col;
                dw[m] = VectorMath.dot(gk, s, tape.k, src, dh) + VectorMath.dot(gv, s, tape.v, src, dh);
                mean += map.coef[i0 + m] * dw[m];
            }
            for (int m = 0; m < f; m++) {
                float ds = map.coef[i0 + m] * (dw[m] - (float) mean) * scale;
                int src = kBase + map.source[i0 + m] * d + col;
                VectorMath.axpy(ds, tape.k, src, dq, q0, dh);
                VectorMath.axpy(ds, tape.q, q0, dk, src, dh);
            }
        }
    }

    /**
     * One head of one sequence: lists the keys a group of queries sees, gathers them into the
     * worker's scratch, then attends (or runs attention's backward). A key source is an offset
     * into k/v, or {@code -1 - i} for sparse key i of this head.
     */
    private final class Sequence {
        private final float[] k;
        private final float[] v;
        private final Workspace.Scratch scratch;
        private final int base;
        private final int head;
        private final int col;
        private final boolean[] visible;
        private final SparseKeys sparse;
        private final Dropout dropout;   // on the probabilities, or null
        private final int site;
        private final int dh = c.headDim();
        private final int d = c.hiddenSize();
        private final int g = c.numGlobalTokens();
        private int count;

        Sequence(float[] k, float[] v, Workspace.Scratch scratch, int base, int head, boolean[] visible,
                 SparseKeys sparse, Tape tape) {
            this.dropout = tape == null ? null : tape.probabilityDropout();
            this.site = tape == null ? 0 : tape.site;
            this.k = k;
            this.v = v;
            this.scratch = scratch;
            this.base = base;
            this.head = head;
            this.col = head * dh;
            this.visible = visible;
            this.sparse = sparse;
        }

        /** Every visible key of the sequence: globals, then the visible ordinary positions. */
        void listAll(int tp) {
            count = 0;
            for (int row = 0; row < g + tp; row++) {
                if (row < g || visible[row - g]) {
                    scratch.sources[count++] = base + row * d + col;
                }
            }
        }

        /** Block i's keys: the globals, its visible sparse window keys and its visible local keys. */
        void listBlock(int block, LsgGeometry geo) {
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
        }

        /** Gathers the listed keys (transposed) and values into the scratch; returns the padded key count. */
        private int gather() {
            int ldk = Attention.paddedKeys(count);
            float[] kt = scratch.keysT;
            float[] vs = scratch.values;
            for (int j = 0; j < count; j++) {
                int src = scratch.sources[j];
                float[] ks = k;
                float[] vsrc = v;
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
            Arrays.fill(vs, count * dh, ldk * dh, 0f);
            return ldk;
        }

        /** Queries of rows [firstRow, firstRow + rows) attend to the listed keys; results overwrite q. */
        void attend(float[] q, int firstRow, int rows) {
            int ldk = gather();
            int at = base + firstRow * d + col;
            Attention.attend(q, at, d, rows, scratch.keysT, scratch.values, count, ldk, dh, scratch.work, q, at, d,
                    probabilityDropout(firstRow));
        }

        /**
         * The dropout of the probabilities of queries firstRow.. of this head, or null: element
         * (row, head, key slot) of the site, so the backward regenerates the forward's masks.
         */
        private Attention.ProbabilityDropout probabilityDropout(int firstRow) {
            if (dropout == null) {
                return null;
            }
            long heads = c.numAttentionHeads();
            long firstSequenceRow = base / d + firstRow;
            return (i, out, nk) -> dropout.attentionFactors(site,
                    ((firstSequenceRow + i) * heads + head) * scratch.maxKeys, out, nk);
        }

        /**
         * The backward pass of {@link #attend}: writes dq of the group's rows, and adds the gathered
         * keys' and values' gradients to dk/dv at their rows, or to dSparse for sparse keys.
         */
        void attendBackward(float[] q, int firstRow, int rows, float[] dctx, float[] dq, float[] dk, float[] dv,
                            SparseKeys dSparse) {
            int ldk = gather();
            Workspace.Scratch.Backward g = scratch.backward();
            float[] gk = g.gradKeysT();
            float[] gv = g.gradValues();
            Arrays.fill(gk, 0, dh * ldk, 0f);
            Arrays.fill(gv, 0, count * dh, 0f);
            int at = base + firstRow * d + col;
            Attention.attendBackward(q, at, d, rows, scratch.keysT, scratch.values, count, ldk, dh,
                    dctx, at, d, g.work(), dq, at, d, gk, gv, probabilityDropout(firstRow));
            for (int j = 0; j < count; j++) {
                int src = scratch.sources[j];
                float[] keys = dk;
                float[] values = dv;
                int to = src;
                if (src < 0) {
                    keys = dSparse.keys();
                    values = dSparse.values();
                    to = (-1 - src) * dh;
                }
                for (int e = 0; e < dh; e++) {
                    keys[to + e] += gk[e * ldk + j];
                }
                VectorMath.axpy(1f, gv, j * dh, values, to, dh);
            }
        }
    }
}
