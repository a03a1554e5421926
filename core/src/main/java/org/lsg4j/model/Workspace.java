package org.lsg4j.model;

import org.lsg4j.kernels.Attention;
import org.lsg4j.kernels.Gemm;
import org.lsg4j.kernels.Workers;

/**
 * The buffers of one forward pass, allocated once and reused by every layer: activations linear
 * in the length (nothing T x T), a bounded slice of the feed-forward intermediate, the sparse keys,
 * and per-worker scratch for attention and the sparse selection. Belongs to a single forward call; the model itself stays immutable.
 */
final class Workspace {
    /** Rows of the feed-forward intermediate computed at a time. */
    static final int FFN_ROWS = 1024;

    final Workers workers;
    final LsgGeometry geometry;
    final int n;             // sequences
    final int rows;          // n * (g + tp)
    final float[] x;         // rows x d: layer input, then layer output
    final float[] a;         // rows x d: attention block output
    final float[] q;         // rows x d: queries, overwritten by the attention context
    final float[] k;         // rows x d
    final float[] v;         // rows x d
    final float[] inter;     // min(rows, FFN_ROWS) x intermediate
    final Scratch[] scratch; // one per worker
    final SparseKeys[] sparse; // n: each sequence's sparse keys (long path with sparse keys), else empty

    /** One worker's attention scratch: gathered keys (transposed), values, the kernel's workspace, key sources. */
    static final class Scratch {
        final int dh;
        final int maxKeys;
        final float[] keysT;     // dh x ldk
        final float[] values;    // ldk x dh (+ NR slack)
        final float[] work;      // Attention.workspaceSize(maxKeys, dh)
        final int[] sources;     // maxKeys
        final SparseSelection.Scratch selection;
        private Backward backward;   // made by the first backward pass on this worker

        /** What the attention backward adds to the forward's scratch. */
        record Backward(float[] gradKeysT, float[] gradValues, float[] work) {
        }

        Scratch(int maxKeys, LsgConfig c) {
            this.dh = c.headDim();
            this.maxKeys = maxKeys;
            int ldk = Attention.paddedKeys(maxKeys);
            keysT = new float[dh * ldk];
            values = new float[ldk * dh + Gemm.NR];
            work = new float[Attention.workspaceSize(maxKeys, dh)];
            sources = new int[maxKeys];
            selection = new SparseSelection.Scratch(c);
        }

        /**
         * The backward's buffers: the gathered keys' gradients (dh x ldk, as keysT), the values'
         * (ldk x dh) and the kernel's workspace; allocated once per worker, and only when training.
         */
        Backward backward() {
            if (backward == null) {
                int ldk = Attention.paddedKeys(maxKeys);
                backward = new Backward(new float[dh * ldk], new float[ldk * dh],
                        new float[Attention.backwardWorkspaceSize(maxKeys, dh)]);
            }
            return backward;
        }
    }

    /**
     * @param x the encoder input, n x (g + tp) x d; becomes the workspace's x
     */
    Workspace(Workers workers, LsgGeometry geometry, float[] x, int n) {
        LsgConfig c = geometry.config();
        int d = c.hiddenSize();
        this.workers = workers;
        this.geometry = geometry;
        this.n = n;
        this.rows = n * geometry.rows();
        this.x = x;
        this.a = new float[rows * d];
        this.q = new float[rows * d];
        this.k = new float[rows * d];
        this.v = new float[rows * d];
        this.inter = new float[Math.min(rows, FFN_ROWS) * c.intermediateSize()];
        this.scratch = new Scratch[workers.count()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch(geometry.maxGatheredKeys(), c);
        }
        this.sparse = new SparseKeys[geometry.withSparseKeys() ? n : 0];
        for (int r = 0; r < sparse.length; r++) {
            sparse[r] = SparseKeys.allocate(c.numAttentionHeads(), geometry.sparseLength(), c.headDim());
        }
    }
}
