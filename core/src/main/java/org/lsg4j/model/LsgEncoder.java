package org.lsg4j.model;

import org.lsg4j.kernels.Activations;
import org.lsg4j.kernels.PackedWeights;
import org.lsg4j.kernels.Workers;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoder of any family with the LSG wrapper around its layers: embeddings with global tokens,
 * the family's projection to hidden_size, adaptive padding to a multiple of block_size,
 * mask_first_token, the layers in the family's order, pool_with_global, trimming back to the t
 * input positions, and the pooler where the family has one.
 */
final class LsgEncoder {
    private final LsgConfig c;
    private final Embeddings embeddings;
    private final Family.Projection projectionPlace;
    private final Linear projection;  // embedding_size -> hidden_size, or null
    private final LsgLayer[] layers;  // the distinct layers
    private final int[][] schedule;   // per hidden state, the distinct layers applied
    private final Linear pooler;      // null when the model has no pooler

    /** The encoder's result for a batch of n sequences of t tokens. */
    record Encoded(int n, int t, float[] lastHiddenState, float[] pooled, List<float[]> hiddenStates,
                   LsgGeometry geometry) {
        // lastHiddenState: n x t x d; pooled: n x d or null; hiddenStates: n x (g + paddedLength) x d each
    }

    /**
     * @param prefix the encoder's key prefix: "" for a base checkpoint, {@code "<base_model_prefix>."} for a task one
     * @param pooler whether the pooler is read; when {@code poolerIfPresent}, only if the checkpoint has it
     */
    LsgEncoder(WeightReader w, String prefix, LsgConfig config, boolean pooler, boolean poolerIfPresent) {
        this.c = config;
        Family f = config.family();
        int d = config.hiddenSize();
        int e = config.embeddingSize();
        this.embeddings = new Embeddings(w, prefix + "embeddings.", config);
        this.projectionPlace = f.embeddings().projection();
        boolean project = projectionPlace == Family.Projection.IN_ENCODER
                || projectionPlace == Family.Projection.AFTER_EMBEDDINGS && e != d;
        this.projection = project ? Linear.load(w, prefix + f.embeddings().projectionName(), e, d) : null;
        List<String> prefixes = f.layers().prefixes().apply(config);
        this.layers = new LsgLayer[prefixes.size()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new LsgLayer(w, prefix + prefixes.get(i), config);
        }
        this.schedule = f.layers().schedule().apply(config);
        String poolerName = f.pooler() == null ? null : prefix + f.pooler();
        boolean readPooler = pooler && poolerName != null && (!poolerIfPresent || w.has(poolerName + ".weight"));
        this.pooler = readPooler ? Linear.load(w, poolerName, d, d) : null;
    }

    boolean hasPooler() {
        return pooler != null;
    }

    PackedWeights wordEmbeddings() {
        return embeddings.wordEmbeddings();
    }

    /**
     * @param mask  n x t attention mask of 0/1 values, or null for all ones
     * @param types n x t token type ids, or null for zeros
     */
    Encoded forward(long[] ids, long[] mask, long[] types, int n, int t, boolean outputHiddenStates, LshDraws draws,
                    Workers workers) {
        LsgGeometry geo = LsgGeometry.of(c, t);
        int g = c.numGlobalTokens();
        int d = c.hiddenSize();
        int tp = geo.paddedLength();
        int rows = geo.rows();
        boolean[][] visible = new boolean[n][tp];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < t; i++) {
                visible[r][i] = mask == null || mask[r * t + i] == 1;
            }
            if (c.maskFirstToken()) {
                visible[r][0] = false;
            }
        }

        Workspace ws = new Workspace(workers, geo, project(embeddings.forward(ids, types, n, t, tp), n, t, rows, workers), n);
        float[] x = ws.x;
        List<float[]> hidden = new ArrayList<>();
        if (outputHiddenStates) {
            hidden.add(x.clone());
        }
        for (int[] step : schedule) {
            for (int layer : step) {
                layers[layer].forward(ws, visible, draws);
            }
            if (outputHiddenStates) {
                hidden.add(x.clone());
            }
        }
        if (c.poolWithGlobal()) {
            for (int r = 0; r < n; r++) {
                System.arraycopy(x, r * rows * d, x, (r * rows + g) * d, d);
            }
            if (outputHiddenStates) {
                // the reference's last hidden state is the encoder output itself, copy included
                hidden.set(hidden.size() - 1, x.clone());
            }
        }
        float[] last = new float[n * t * d];
        for (int r = 0; r < n; r++) {
            System.arraycopy(x, (r * rows + g) * d, last, r * t * d, t * d);
        }
        return new Encoded(n, t, last, pool(last, n, t, workers), hidden, geo);
    }

    /**
     * The family's projection of the embeddings (n x rows x embedding_size) to hidden_size: ELECTRA
     * projects the g + t embedded rows and leaves the padding rows zero; ALBERT maps every row,
     * padding included, so padding rows become the mapping's bias.
     */
    private float[] project(float[] embedded, int n, int t, int rows, Workers workers) {
        if (projection == null) {
            return embedded;
        }
        int d = c.hiddenSize();
        int e = c.embeddingSize();
        float[] out = new float[n * rows * d];
        if (projectionPlace == Family.Projection.IN_ENCODER) {
            projection.forward(workers, embedded, 0, n * rows, out, 0);
        } else {
            for (int r = 0; r < n; r++) {
                projection.forward(workers, embedded, r * rows * e, c.numGlobalTokens() + t, out, r * rows * d);
            }
        }
        return out;
    }

    /** pooler_output: tanh(pooler(row 0)). */
    private float[] pool(float[] last, int n, int t, Workers workers) {
        if (pooler == null) {
            return null;
        }
        int d = c.hiddenSize();
        float[] first = new float[n * d];
        for (int r = 0; r < n; r++) {
            System.arraycopy(last, r * t * d, first, r * d, d);
        }
        float[] pooled = pooler.forward(workers, first, n);
        Activations.tanh(pooled, 0, pooled.length);
        return pooled;
    }
}
