package org.lsg4j.pipelines;

import java.util.List;

/**
 * Parameters of {@link TokenClassificationPipeline}, named as Hugging Face's.
 *
 * @param aggregationStrategy how tokens become entities (default {@link AggregationStrategy#NONE})
 * @param ignoreLabels        labels left out of the results (default {@code ["O"]})
 * @param stride              overlap in tokens between consecutive windows when a text is longer than the
 *                            model; negative for the default, {@code min(128, window / 2)}
 */
public record TokenClassificationOptions(AggregationStrategy aggregationStrategy, List<String> ignoreLabels, int stride) {
    public TokenClassificationOptions {
        if (aggregationStrategy == null) {
            throw new IllegalArgumentException("aggregation strategy must be given");
        }
        ignoreLabels = List.copyOf(ignoreLabels);
    }

    /** Hugging Face's defaults: no aggregation, ignore {@code O}, default stride. */
    public static TokenClassificationOptions defaults() {
        return new TokenClassificationOptions(AggregationStrategy.NONE, List.of("O"), -1);
    }

    public TokenClassificationOptions withAggregation(AggregationStrategy strategy) {
        return new TokenClassificationOptions(strategy, ignoreLabels, stride);
    }

    public TokenClassificationOptions withIgnoreLabels(List<String> labels) {
        return new TokenClassificationOptions(aggregationStrategy, labels, stride);
    }

    public TokenClassificationOptions withStride(int tokens) {
        return new TokenClassificationOptions(aggregationStrategy, ignoreLabels, tokens);
    }
}
