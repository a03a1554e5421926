package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.PackedWeights;

/**
 * LSG-RoBERTa embeddings ({@code embeddings.*}): word + token type + position embeddings of the t
 * tokens, the first g rows of {@code global_embeddings} prepended, LayerNorm over all g + t rows.
 */
final class Embeddings {
    private final LsgConfig config;
    private final PackedWeights wordEmbeddings; // vocab_size x d, packed for the tied masked-LM decoder
    private final float[] positionEmbeddings;  // max_position_embeddings x d
    private final float[] tokenTypeEmbeddings; // type_vocab_size x d
    private final float[] globalEmbeddings;    // 512 x d (first num_global_tokens rows used)
    private final LayerNorm layerNorm;

    Embeddings(WeightReader w, String prefix, LsgConfig c) {
        int d = c.hiddenSize();
        this.config = c;
        this.wordEmbeddings = PackedWeights.pack(w.take(prefix + "word_embeddings.weight", c.vocabSize(), d), null,
                d, c.vocabSize());
        this.positionEmbeddings = w.take(prefix + "position_embeddings.weight", c.maxPositionEmbeddings(), d);
        this.tokenTypeEmbeddings = w.take(prefix + "token_type_embeddings.weight", c.typeVocabSize(), d);
        this.globalEmbeddings = w.take(prefix + "global_embeddings.weight", LsgConfig.GLOBAL_EMBEDDING_ROWS, d);
        this.layerNorm = LayerNorm.load(w, prefix + "LayerNorm", d, c.layerNormEps());
    }

    /** The word embedding matrix (vocab_size x d), also the tied masked-LM decoder. */
    PackedWeights wordEmbeddings() {
        return wordEmbeddings;
    }

    /**
     * Position ids as the reference derives them from the ids alone: a non-pad token gets
     * {@code pad_token_id + (non-pad tokens up to and including it)}, a pad token {@code pad_token_id}.
     */
    static int[] positionIds(long[] ids, int off, int t, int padId) {
        int[] pos = new int[t];
        int count = 0;
        for (int i = 0; i < t; i++) {
            if (ids[off + i] != padId) {
                count++;
                pos[i] = padId + count;
            } else {
                pos[i] = padId;
            }
        }
        return pos;
    }

    /**
     * Embeds n rows of t ids into n x (g + tPadded) x d; rows past g + t are the zero rows of
     * adaptive padding, appended after the LayerNorm.
     *
     * @param tokenTypeIds n x t, or null for all zeros
     */
    float[] forward(long[] ids, long[] tokenTypeIds, int n, int t, int tPadded) {
        int d = config.hiddenSize();
        int g = config.numGlobalTokens();
        int rows = g + tPadded;
        boolean absolute = "absolute".equals(config.positionEmbeddingType());
        float[] out = new float[n * rows * d];
        for (int r = 0; r < n; r++) {
            int base = r * rows * d;
            System.arraycopy(globalEmbeddings, 0, out, base, g * d);
            int[] pos = positionIds(ids, r * t, t, config.padTokenId());
            for (int i = 0; i < t; i++) {
                int id = (int) ids[r * t + i];
                int type = tokenTypeIds == null ? 0 : (int) tokenTypeIds[r * t + i];
                if (absolute && pos[i] >= config.maxPositionEmbeddings()) {
                    throw new LsgException("input_ids row " + r + ": position id " + pos[i]
                            + " is past max_position_embeddings " + config.maxPositionEmbeddings()
                            + " (at most " + (config.maxPositionEmbeddings() - config.padTokenId() - 1)
                            + " non-pad tokens per row)");
                }
                int o = base + (g + i) * d;
                wordEmbeddings.copyRow(id, out, o);
                for (int k = 0; k < d; k++) {
                    float e = out[o + k] + tokenTypeEmbeddings[type * d + k];
                    if (absolute) {
                        e += positionEmbeddings[pos[i] * d + k];
                    }
                    out[o + k] = e;
                }
            }
            layerNorm.apply(out, base, g + t);
        }
        return out;
    }
}
