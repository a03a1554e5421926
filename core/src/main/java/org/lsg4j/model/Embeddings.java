package org.lsg4j.model;

import org.lsg4j.LsgException;

/**
 * The embeddings ({@code embeddings.*}): word + token type + position embeddings of the t tokens,
 * the first g rows of {@code global_embeddings} prepended, LayerNorm over all g + t rows. Their
 * width is embedding_size (ELECTRA, ALBERT) or hidden_size; the family says how positions are
 * numbered and whether token types exist.
 */
final class Embeddings {
    private final LsgConfig config;
    private final Family.PositionIds positionRule;
    private final Linear wordEmbeddings;       // vocab_size x e, as the tied masked-LM decoder reads it
    private final float[] positionEmbeddings;  // max_position_embeddings x e
    private final float[] tokenTypeEmbeddings; // type_vocab_size x e, or null
    private final float[] globalEmbeddings;    // 512 x e (first num_global_tokens rows used), null for a plain model
    private final LayerNorm layerNorm;
    private final float[] positionGrad;        // the tables' gradients (null when frozen or for inference)
    private final float[] tokenTypeGrad;
    private final float[] globalGrad;

    Embeddings(WeightReader w, String prefix, LsgConfig c) {
        int e = c.embeddingSize();
        Family.EmbeddingSpec spec = c.family().embeddings();
        this.config = c;
        this.positionRule = spec.positionIds();
        this.wordEmbeddings = Linear.table(w, prefix + "word_embeddings", c.vocabSize(), e);
        this.positionEmbeddings = w.take(prefix + "position_embeddings.weight", c.maxPositionEmbeddings(), e);
        this.positionGrad = grad(w, prefix + "position_embeddings.weight");
        this.tokenTypeEmbeddings = spec.tokenTypes()
                ? w.take(prefix + "token_type_embeddings.weight", c.typeVocabSize(), e) : null;
        this.tokenTypeGrad = grad(w, prefix + "token_type_embeddings.weight");
        this.globalEmbeddings = c.lsg()
                ? w.take(prefix + "global_embeddings.weight", LsgConfig.GLOBAL_EMBEDDING_ROWS, e) : null;
        this.globalGrad = grad(w, prefix + "global_embeddings.weight");
        double eps = spec.layerNormEps() != null ? spec.layerNormEps() : c.layerNormEps();
        this.layerNorm = LayerNorm.load(w, prefix + "LayerNorm", e, eps);
    }

    private static float[] grad(WeightReader w, String key) {
        Parameters.Param p = w.param(key);
        return p == null ? null : p.grad();
    }

    /** The word embedding matrix (vocab_size x e), also the tied masked-LM decoder. */
    Linear wordEmbeddings() {
        return wordEmbeddings;
    }

    /**
     * Position ids of one row: {@code 0 .. t-1}, or RoBERTa's rule, derived from the ids alone: a
     * non-pad token gets {@code pad_token_id + (non-pad tokens up to and including it)}, a pad token
     * {@code pad_token_id}.
     */
    int[] positionIds(long[] ids, int off, int t) {
        int[] pos = new int[t];
        int padId = config.padTokenId();
        int count = 0;
        for (int i = 0; i < t; i++) {
            if (positionRule == Family.PositionIds.ARANGE) {
                pos[i] = i;
            } else if (ids[off + i] != padId) {
                count++;
                pos[i] = padId + count;
            } else {
                pos[i] = padId;
            }
        }
        return pos;
    }

    /**
     * Embeds n rows of t ids into n x (g + tPadded) x e; rows past g + t are the zero rows of
     * adaptive padding, appended after the LayerNorm.
     *
     * @param tokenTypeIds n x t, or null for all zeros
     */
    float[] forward(long[] ids, long[] tokenTypeIds, int n, int t, int tPadded) {
        int e = config.embeddingSize();
        int g = config.numGlobalTokens();
        int rows = g + tPadded;
        float[] out = new float[n * rows * e];
        for (int r = 0; r < n; r++) {
            int base = r * rows * e;
            sum(ids, tokenTypeIds, r, t, out, base);
            layerNorm.apply(out, base, g + t);
        }
        return out;
    }

    /** Row r's embeddings before the LayerNorm: the globals, then word + type + position of each token. */
    private void sum(long[] ids, long[] tokenTypeIds, int r, int t, float[] out, int base) {
        int e = config.embeddingSize();
        int g = config.numGlobalTokens();
        boolean absolute = "absolute".equals(config.positionEmbeddingType());
        if (g > 0) {
            System.arraycopy(globalEmbeddings, 0, out, base, g * e);
        }
        int[] pos = positionIds(ids, r * t, t);
        for (int i = 0; i < t; i++) {
            int id = (int) ids[r * t + i];
            if (absolute && pos[i] >= config.maxPositionEmbeddings()) {
                throw new LsgException("input_ids row " + r + ": position id " + pos[i]
                        + " is past max_position_embeddings " + config.maxPositionEmbeddings()
                        + " (at most " + config.maxTokens() + " positions per row"
                        + (positionRule == Family.PositionIds.PADDING_OFFSET ? " that are not padding" : "") + ")");
            }
            int o = base + (g + i) * e;
            wordEmbeddings.copyRow(id, out, o);
            if (tokenTypeEmbeddings != null) {
                int type = tokenTypeIds == null ? 0 : (int) tokenTypeIds[r * t + i];
                for (int k = 0; k < e; k++) {
                    out[o + k] += tokenTypeEmbeddings[type * e + k];
                }
            }
            if (absolute) {
                for (int k = 0; k < e; k++) {
                    out[o + k] += positionEmbeddings[pos[i] * e + k];
                }
            }
        }
    }

    /**
     * The backward pass: from the gradient of the output (n x (g + tPadded) x e; the padding rows'
     * part is ignored, they are constants) accumulates the gradients of the tables and the
     * LayerNorm. The padding_idx rows (word pad_token_id; RoBERTa's position pad_token_id) get none,
     * as nn.Embedding(padding_idx=...) gives them none.
     */
    void backward(long[] ids, long[] tokenTypeIds, int n, int t, int tPadded, float[] dOut,
                  org.lsg4j.kernels.Workers workers) {
        int e = config.embeddingSize();
        int g = config.numGlobalTokens();
        int rows = g + tPadded;
        float[] h = new float[(g + t) * e];
        float[] dh = new float[(g + t) * e];
        float[] wordGrad = wordEmbeddings.weightGrad();
        int pad = config.padTokenId();
        boolean absolute = "absolute".equals(config.positionEmbeddingType());
        // every token adds to a row of the token types' table: those long sums are kept in double
        double[] typeSums = tokenTypeGrad == null ? null : new double[tokenTypeGrad.length];
        for (int r = 0; r < n; r++) {
            sum(ids, tokenTypeIds, r, t, h, 0);
            layerNorm.backward(workers, h, 0, dOut, r * rows * e, g + t, dh, 0);
            if (globalGrad != null) {
                for (int i = 0; i < g * e; i++) {
                    globalGrad[i] += dh[i];
                }
            }
            int[] pos = positionIds(ids, r * t, t);
            for (int i = 0; i < t; i++) {
                int o = (g + i) * e;
                int id = (int) ids[r * t + i];
                if (wordGrad != null && id != pad) {
                    add(dh, o, wordGrad, id * e, e);
                }
                if (typeSums != null) {
                    int to = (tokenTypeIds == null ? 0 : (int) tokenTypeIds[r * t + i]) * e;
                    for (int k = 0; k < e; k++) {
                        typeSums[to + k] += dh[o + k];
                    }
                }
                boolean paddingRow = positionRule == Family.PositionIds.PADDING_OFFSET && pos[i] == pad;
                if (positionGrad != null && absolute && !paddingRow) {
                    add(dh, o, positionGrad, pos[i] * e, e);
                }
            }
        }
        for (int i = 0; typeSums != null && i < typeSums.length; i++) {
            tokenTypeGrad[i] += (float) typeSums[i];
        }
    }

    private static void add(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int k = 0; k < n; k++) {
            dst[dstOff + k] += src[srcOff + k];
        }
    }
}
