package org.lsg4j.pipelines;

import java.util.List;

/**
 * Parameters of {@link FillMaskPipeline}, named after the Hugging Face pipeline's.
 *
 * @param topK proposals per mask (default 5); capped at the number of distinct targets
 * @param targets candidate strings to score instead of the whole vocabulary, or null; resolved as
 *     the pipeline does (vocabulary entry as written, else the first piece of its tokenization)
 * @param maxLength truncate inputs to this many tokens ({@code truncation=True, max_length=N}),
 *     or null to truncate only inputs longer than the model (with a warning)
 * @param batchSize inputs run together, padded to the longest
 */
public record FillMaskOptions(int topK, List<String> targets, Integer maxLength, int batchSize) {
    /** The pipeline's default number of proposals. */
    public static final int DEFAULT_TOP_K = 5;

    public FillMaskOptions {
        if (topK < 1 || batchSize < 1 || (maxLength != null && maxLength < 2)) {
            throw new IllegalArgumentException("fill-mask needs top_k >= 1, batch_size >= 1 and max_length >= 2");
        }
        targets = targets == null ? null : List.copyOf(targets);
    }

    /** top_k 5, no targets, no truncation, batch size 1. */
    public static FillMaskOptions defaults() {
        return new FillMaskOptions(DEFAULT_TOP_K, null, null, 1);
    }

    public FillMaskOptions withTopK(int k) {
        return new FillMaskOptions(k, targets, maxLength, batchSize);
    }

    public FillMaskOptions withTargets(List<String> t) {
        return new FillMaskOptions(topK, t, maxLength, batchSize);
    }

    public FillMaskOptions withMaxLength(Integer n) {
        return new FillMaskOptions(topK, targets, n, batchSize);
    }

    public FillMaskOptions withBatchSize(int n) {
        return new FillMaskOptions(topK, targets, maxLength, n);
    }
}
