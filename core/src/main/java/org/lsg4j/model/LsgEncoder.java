package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.Activations;
import org.lsg4j.kernels.Workers;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoder of any family with the LSG wrapper around its layers: embeddings with global tokens,
 * the family's projection to hidden_size, adaptive padding to a multiple of block_size,
 * mask_first_token, the layers in the family's order, pool_with_global, trimming back to the t
 * input positions, and the pooler where the family has one. The forward pass and its backward
 * pass side by side.
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

    /** What a forward pass keeps for its backward pass. */
    static final class Tape {
        long[] ids;
        long[] types;
        int n;
        int t;
        boolean[][] visible;
        Workspace ws;
        float[] embedded;          // the embeddings' output (n x rows x e), the projection's input
        final List<LsgLayer.Tape> layers = new ArrayList<>();   // one per application, in order
        float[] pooled;            // pooler_output (tanh applied)
        Dropout dropout;           // training mode's dropout, or null (eval mode)
        boolean recompute;         // keep only each layer's input; recompute the rest in the backward pass
        long peakTapeBytes;        // the most the layer tapes held at once
    }

    /**
     * @param prefix the encoder's key prefix: "" for a base checkpoint, {@code "<base_model_prefix>."} for a task one
     * @param pooler whether the pooler is read; when {@code poolerIfPresent}, only if the checkpoint has it
     */
    LsgEncoder(WeightReader w, String prefix, LsgConfig config, boolean pooler, boolean poolerIfPresent) {
        if (!config.lsg() && !"absolute".equals(config.positionEmbeddingType())) {
            // LSG attention skips relative positions, as the reference does; Hugging Face's full attention does not
            throw new LsgException("config.json: position_embedding_type \"" + config.positionEmbeddingType() + "\": a"
                    + " plain checkpoint with relative position embeddings needs relative attention (distance_embedding),"
                    + " which lsg4j does not run; only \"absolute\" is supported (its LSG conversion runs)");
        }
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

    /** The checkpoint name of the pooler's linear layer, or null without one. */
    String poolerName() {
        return pooler == null ? null : pooler.name;
    }

    Linear wordEmbeddings() {
        return embeddings.wordEmbeddings();
    }

    /** Every linear layer, for a trainable model to repack after an optimizer step. */
    List<Linear> linears() {
        List<Linear> out = new ArrayList<>();
        out.add(embeddings.wordEmbeddings());
        if (projection != null) {
            out.add(projection);
        }
        for (LsgLayer layer : layers) {
            out.addAll(layer.linears());
        }
        if (pooler != null) {
            out.add(pooler);
        }
        return out;
    }

    /**
     * @param mask  n x t attention mask of 0/1 values, or null for all ones
     * @param types n x t token type ids, or null for zeros
     * @param tape  receives what the backward pass reads, or null
     */
    Encoded forward(long[] ids, long[] mask, long[] types, int n, int t, boolean outputHiddenStates, LshDraws.Sequence draws,
                    Workers workers, Tape tape) {
        LsgGeometry geo = LsgGeometry.of(c, t);
        int g = c.numGlobalTokens();
        int d = c.hiddenSize();
        int rows = geo.rows();
        boolean[][] visible = visibility(mask, n, t, geo.paddedLength());
        float[] embedded = embeddings.forward(ids, types, n, t, geo.paddedLength());
        if (tape != null && tape.dropout != null) {
            int e = c.embeddingSize();
            for (int r = 0; r < n; r++) {
                tape.dropout.apply(Dropout.EMBEDDINGS, embedded, r * rows * e, (g + t) * e, (long) r * rows * e);
            }
        }
        Workspace ws = new Workspace(workers, geo, project(embedded, n, t, rows, workers), n);
        if (tape != null) {
            tape.ids = ids;
            tape.types = types;
            tape.n = n;
            tape.t = t;
            tape.visible = visible;
            tape.ws = ws;
            tape.embedded = projection == null ? null : embedded;
        }
        float[] x = ws.x;
        List<float[]> hidden = new ArrayList<>();
        if (outputHiddenStates) {
            hidden.add(x.clone());
        }
        long perLayer = LsgLayer.Tape.bytesPerRow(c) * ws.rows;
        for (int[] step : schedule) {
            for (int layer : step) {
                LsgLayer.Tape layerTape = tape == null ? null : newLayerTape(tape);
                layers[layer].forward(ws, visible, draws, layerTape);
                if (tape != null) {
                    if (tape.recompute) {
                        layerTape.keepInputOnly();
                    }
                    tape.layers.add(layerTape);
                    long inputs = 4L * c.hiddenSize() * ws.rows * tape.layers.size();
                    tape.peakTapeBytes = tape.recompute ? inputs + perLayer : perLayer * tape.layers.size();
                }
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
        float[] pooled = pool(last, n, t, workers);
        if (tape != null) {
            tape.pooled = pooled;
        }
        return new Encoded(n, t, last, pooled, hidden, geo);
    }

    /**
     * How the sparse keys of application {@code layer} (counted as {@link #applications()}) were
     * made for head {@code head} of the one sequence {@code ids}: runs the layers before it, then that
     * layer's self-attention with a tape, and stops. Null when the sequence has no sparse keys.
     */
    SparseSources sparseSources(long[] ids, long[] mask, long[] types, int t, LshDraws.Sequence draws, Workers workers,
                                int layer, int head) {
        LsgGeometry geo = LsgGeometry.of(c, t);
        if (!geo.withSparseKeys()) {
            return null;
        }
        boolean[][] visible = visibility(mask, 1, t, geo.paddedLength());
        float[] embedded = embeddings.forward(ids, types, 1, t, geo.paddedLength());
        Workspace ws = new Workspace(workers, geo, project(embedded, 1, t, geo.rows(), workers), 1);
        int application = 0;
        for (int[] step : schedule) {
            for (int distinct : step) {
                if (application++ == layer) {
                    LsgSelfAttention.Tape tape = new LsgSelfAttention.Tape();
                    layers[distinct].selfAttention(ws, visible, draws, tape);
                    return SparseSources.of(geo, layer, head, tape.maps[0][head], tape.sparse[0]);
                }
                layers[distinct].forward(ws, visible, draws, null);
            }
        }
        throw new IllegalArgumentException("layer " + layer + " is not below " + applications());
    }

    /** Layer applications in one forward pass: num_hidden_layers, times inner_group_num for ALBERT. */
    int applications() {
        int count = 0;
        for (int[] step : schedule) {
            count += step.length;
        }
        return count;
    }

    /** n x tp: whether each ordinary position is a visible key (the mask's 1s, less mask_first_token's row 0). */
    private boolean[][] visibility(long[] mask, int n, int t, int tp) {
        boolean[][] visible = new boolean[n][tp];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < t; i++) {
                visible[r][i] = mask == null || mask[r * t + i] == 1;
            }
            if (c.maskFirstToken()) {
                visible[r][0] = false;
            }
        }
        return visible;
    }

    /**
     * The backward pass: from the gradients of last_hidden_state (n x t x d) and of pooler_output
     * (n x d, or null), accumulates every trainable weight's gradient.
     *
     * @param throughLayers false when nothing below the pooler is trainable: the pass stops after the pooler
     */
    void backward(Tape tape, float[] dLast, float[] dPooled, boolean throughLayers) {
        Workspace ws = tape.ws;
        Workers workers = ws.workers;
        LsgGeometry geo = ws.geometry;
        int n = tape.n;
        int t = tape.t;
        int g = c.numGlobalTokens();
        int d = c.hiddenSize();
        int rows = geo.rows();
        float[] dl = dLast.clone();
        if (dPooled != null && pooler != null) {
            float[] first = new float[n * d];
            float[] last = new float[n * d];
            for (int r = 0; r < n; r++) {
                System.arraycopy(firstRows(tape), r * d, first, r * d, d);
            }
            float[] dz = dPooled.clone();
            Activation.TANH.backward(workers, null, 0, tape.pooled, dz, dz.length);
            pooler.backward(workers, first, 0, dz, 0, n, last, 0, false);
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < d; k++) {
                    dl[r * t * d + k] += last[r * d + k];
                }
            }
        }
        if (!throughLayers) {
            return;
        }
        // trimming and pool_with_global: the output row g was row 0's copy
        float[] dx = new float[n * rows * d];
        for (int r = 0; r < n; r++) {
            System.arraycopy(dl, r * t * d, dx, (r * rows + g) * d, t * d);
            if (c.poolWithGlobal()) {
                for (int k = 0; k < d; k++) {
                    dx[r * rows * d + k] += dx[(r * rows + g) * d + k];
                    dx[(r * rows + g) * d + k] = 0f;
                }
            }
        }
        int application = tape.layers.size();
        for (int s = schedule.length - 1; s >= 0; s--) {
            for (int i = schedule[s].length - 1; i >= 0; i--) {
                LsgLayer layer = layers[schedule[s][i]];
                LsgLayer.Tape layerTape = tape.layers.get(--application);
                if (tape.recompute) {
                    layerTape = recompute(layer, layerTape, ws, tape);
                }
                dx = layer.backward(ws, tape.visible, layerTape, dx);
                tape.layers.set(application, null);   // its memory is free again
            }
        }
        float[] dEmbedded = dx;
        if (projection != null) {
            int e = c.embeddingSize();
            dEmbedded = new float[n * rows * e];
            if (projectionPlace == Family.Projection.IN_ENCODER) {
                projection.backward(workers, tape.embedded, 0, dx, 0, n * rows, dEmbedded, 0, false);
            } else {
                for (int r = 0; r < n; r++) {
                    projection.backward(workers, tape.embedded, r * rows * e, dx, r * rows * d, g + t,
                            dEmbedded, r * rows * e, false);
                }
            }
        }
        if (tape.dropout != null) {
            int e = c.embeddingSize();
            for (int r = 0; r < n; r++) {
                tape.dropout.apply(Dropout.EMBEDDINGS, dEmbedded, r * rows * e, (g + t) * e, (long) r * rows * e);
            }
        }
        embeddings.backward(tape.ids, tape.types, n, t, geo.paddedLength(), dEmbedded, workers);
    }

    private static LsgLayer.Tape newLayerTape(Tape tape) {
        LsgLayer.Tape t = new LsgLayer.Tape();
        t.dropout = tape.dropout;
        t.application = tape.layers.size();
        return t;
    }

    /** Runs one layer application again from its kept input, with its own lsh draws, keeping everything. */
    private static LsgLayer.Tape recompute(LsgLayer layer, LsgLayer.Tape kept, Workspace ws, Tape tape) {
        LsgLayer.Tape full = new LsgLayer.Tape();
        full.dropout = kept.dropout;
        full.application = kept.application;
        System.arraycopy(kept.x, 0, ws.x, 0, kept.x.length);
        layer.forward(ws, tape.visible, LshDraws.replay(kept.attention.lsh), full);
        return full;
    }

    /** Row 0 of each sequence's last_hidden_state, the pooler's input, recomputed from the tape's layer outputs. */
    private float[] firstRows(Tape tape) {
        LsgGeometry geo = tape.ws.geometry;
        int d = c.hiddenSize();
        int rows = geo.rows();
        int g = c.numGlobalTokens();
        float[] x = tape.ws.x;   // the encoder output, pool_with_global applied
        float[] first = new float[tape.n * d];
        for (int r = 0; r < tape.n; r++) {
            System.arraycopy(x, (r * rows + g) * d, first, r * d, d);
        }
        return first;
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
