package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.PackedWeights;

/**
 * The embeddings ({@code embeddings.*}): word + token type + position embeddings of the t tokens,
 * the first g rows of {@code global_embeddings} prepended, LayerNorm over all g + t rows. Their
 * width is embedding_size (ELECTRA, ALBERT) or hidden_size; the family says how positions are
 * numbered and whether token types exist.
 */
final class Embeddings {
    private final LsgConfig config;
    private final Family.PositionIds positionRule;
    private final PackedWeights wordEmbeddings; // vocab_size x e, packed for the tied masked-LM decoder
    private final float[] positionEmbeddings;  // max_position_embeddings x e
    private final float[] tokenTypeEmbeddings; // type_vocab_size x e, or null
    private final float[] globalEmbeddings;    // 512 x e (first num_global_tokens rows used), null for a plain model
    private final LayerNorm layerNorm;

    Embeddings(WeightReader w, String prefix, LsgConfig c) {
        int e = c.embeddingSize();
        Family.EmbeddingSpec spec = c.family().embeddings();
        this.config = c;
        this.positionRule = spec.positionIds();
        this.wordEmbeddings = PackedWeights.pack(w.take(prefix + "word_embeddings.weight", c.vocabSize(), e), null,
                e, c.vocabSize());
        this.positionEmbeddings = w.take(prefix + "position_embeddings.weight", c.maxPositionEmbeddings(), e);
        this.tokenTypeEmbeddings = spec.tokenTypes()
                ? w.take(prefix + "token_type_embeddings.weight", c.typeVocabSize(), e) : null;
        this.globalEmbeddings = c.lsg()
                ? w.take(prefix + "global_embeddings.weight", LsgConfig.GLOBAL_EMBEDDING_ROWS, e) : null;
        double eps = spec.layerNormEps() != null ? spec.layerNormEps() : c.layerNormEps();
        this.layerNorm = LayerNorm.load(w, prefix + "LayerNorm", e, eps);
    }

    /** The word embedding matrix (vocab_size x e), also the tied masked-LM decoder. */
    PackedWeights wordEmbeddings() {
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
        boolean absolute = "absolute".equals(config.positionEmbeddingType());
        float[] out = new float[n * rows * e];
        for (int r = 0; r < n; r++) {
            int base = r * rows * e;
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
            layerNorm.apply(out, base, g + t);
        }
        return out;
    }
}
