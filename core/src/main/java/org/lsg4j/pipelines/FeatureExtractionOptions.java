package org.lsg4j.pipelines;

/**
 * Parameters of {@link FeatureExtractionPipeline}.
 *
 * @param maxLength truncate inputs to this many tokens ({@code truncation=True} with
 *     {@code tokenize_kwargs={"max_length": N}}), or null to truncate only inputs longer than the
 *     model (with a warning)
 * @param batchSize inputs run together, padded to the longest; as in the pipeline, a shorter
 *     input's features then include the padded positions
 */
public record FeatureExtractionOptions(Integer maxLength, int batchSize) {
    public FeatureExtractionOptions {
        if (batchSize < 1 || (maxLength != null && maxLength < 2)) {
            throw new IllegalArgumentException("feature-extraction needs batch_size >= 1 and max_length >= 2");
        }
    }

    /** No truncation, batch size 1. */
    public static FeatureExtractionOptions defaults() {
        return new FeatureExtractionOptions(null, 1);
    }

    public FeatureExtractionOptions withMaxLength(Integer n) {
        return new FeatureExtractionOptions(n, batchSize);
    }

    public FeatureExtractionOptions withBatchSize(int n) {
        return new FeatureExtractionOptions(maxLength, n);
    }
}
