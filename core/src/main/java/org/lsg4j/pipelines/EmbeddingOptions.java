package org.lsg4j.pipelines;

/**
 * Parameters of {@link EmbeddingPipeline}.
 *
 * @param pooling how token outputs become one vector
 * @param normalize scale each vector to unit L2 norm
 * @param maxLength truncate inputs to this many tokens, or null to truncate only inputs longer than
 *     the model (with a warning)
 * @param batchSize inputs run together, padded to the longest (padding is left out of mean pooling)
 */
public record EmbeddingOptions(Pooling pooling, boolean normalize, Integer maxLength, int batchSize) {
    public EmbeddingOptions {
        if (pooling == null || batchSize < 1 || (maxLength != null && maxLength < 2)) {
            throw new IllegalArgumentException("embeddings need a pooling, batch_size >= 1 and max_length >= 2");
        }
    }

    /** Mean pooling, not normalised, no truncation, batch size 1. */
    public static EmbeddingOptions defaults() {
        return new EmbeddingOptions(Pooling.MEAN, false, null, 1);
    }

    public EmbeddingOptions withPooling(Pooling p) {
        return new EmbeddingOptions(p, normalize, maxLength, batchSize);
    }

    public EmbeddingOptions withNormalize(boolean n) {
        return new EmbeddingOptions(pooling, n, maxLength, batchSize);
    }

    public EmbeddingOptions withMaxLength(Integer n) {
        return new EmbeddingOptions(pooling, normalize, n, batchSize);
    }

    public EmbeddingOptions withBatchSize(int n) {
        return new EmbeddingOptions(pooling, normalize, maxLength, n);
    }
}
