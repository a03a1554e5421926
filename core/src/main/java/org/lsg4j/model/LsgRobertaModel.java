package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.Activations;
import org.lsg4j.kernels.PackedWeights;
import org.lsg4j.kernels.Workers;

import java.util.ArrayList;
import java.util.List;

/**
 * The LSG-RoBERTa encoder with its wrapper ({@code embeddings.*}, {@code encoder.layer.*},
 * {@code pooler.*}): embeddings with global tokens, adaptive padding to a multiple of block_size,
 * mask_first_token, the layers, pool_with_global, and trimming back to the t input positions.
 */
final class LsgRobertaModel {
    private final LsgConfig c;
    private final Embeddings embeddings;
    private final LsgLayer[] layers;
    private final Linear pooler;   // null when the model has no pooler

    /** The encoder's result for a batch of n sequences of t tokens. */
    record Encoded(int n, int t, float[] lastHiddenState, float[] pooled, List<float[]> hiddenStates, int paddedLength) {
        // lastHiddenState: n x t x d; pooled: n x d or null; hiddenStates: n x (g + paddedLength) x d each
    }

    /**
     * @param prefix "" or "roberta."
     * @param pooler whether {@code pooler.dense} is read; when {@code poolerIfPresent}, only if the
     *               checkpoint has it
     */
    LsgRobertaModel(WeightReader w, String prefix, LsgConfig config, boolean pooler, boolean poolerIfPresent) {
        this.c = config;
        this.embeddings = new Embeddings(w, prefix + "embeddings.", config);
        this.layers = new LsgLayer[config.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new LsgLayer(w, prefix + "encoder.layer." + i + ".", config);
        }
        boolean readPooler = pooler && (!poolerIfPresent || w.has(prefix + "pooler.dense.weight"));
        int d = config.hiddenSize();
        this.pooler = readPooler ? Linear.load(w, prefix + "pooler.dense", d, d) : null;
    }

    boolean hasPooler() {
        return pooler != null;
    }

    PackedWeights wordEmbeddings() {
        return embeddings.wordEmbeddings();
    }

    /** The padded length the encoder runs at for t tokens; fails where the reference fails. */
    int paddedLength(int t) {
        int b = c.blockSize();
        if (t <= 2 * b || t % b == 0) {
            return t;
        }
        if (!c.adaptive()) {
            throw new LsgException("sequence length " + t + " is longer than 2 * block_size = " + 2 * b
                    + " and not a multiple of block_size " + b + ", and adaptive is false:"
                    + " the reference fails on such input (pad it to a multiple of " + b + " or set adaptive=true)");
        }
        return t + b - t % b;
    }

    /**
     * @param mask  n x t attention mask of 0/1 values, or null for all ones
     * @param types n x t token type ids, or null for zeros
     */
    Encoded forward(long[] ids, long[] mask, long[] types, int n, int t, boolean outputHiddenStates, LshDraws draws,
                    Workers workers) {
        int g = c.numGlobalTokens();
        int d = c.hiddenSize();
        int tp = paddedLength(t);
        int rows = g + tp;
        boolean[][] visible = new boolean[n][tp];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < t; i++) {
                visible[r][i] = mask == null || mask[r * t + i] == 1;
            }
            if (c.maskFirstToken()) {
                visible[r][0] = false;
            }
        }
        int[][] windows = LsgSelfAttention.isLongPath(c, tp) && c.hasSparseKeys()
                ? SparseWindows.compute(c.blockSize(), c.sparseBlockSize(), c.sparsityFactor(), SparseSelection.sparseLength(c, tp), tp)
                : null;

        Workspace ws = new Workspace(workers, c, embeddings.forward(ids, types, n, t, tp), n, tp);
        float[] x = ws.x;
        List<float[]> hidden = new ArrayList<>();
        if (outputHiddenStates) {
            hidden.add(x.clone());
        }
        for (LsgLayer layer : layers) {
            layer.forward(ws, n, tp, visible, windows, draws);
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
        return new Encoded(n, t, last, pool(last, n, t, workers), hidden, tp);
    }

    /** pooler_output: tanh(pooler.dense(row 0)). */
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
