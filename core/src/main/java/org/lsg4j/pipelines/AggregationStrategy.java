package org.lsg4j.pipelines;

import org.lsg4j.LsgException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How token classification turns per-token predictions into entities, as the
 * {@code aggregation_strategy} of Hugging Face's token-classification pipeline.
 */
public enum AggregationStrategy {
    /** One entity per token: {@code entity, score, index, word, start, end}. */
    NONE,
    /** Tokens grouped by label (B-/I- aware) into {@code entity_group, score, word, start, end}; score = mean. */
    SIMPLE,
    /** Words take the label of their first token, then are grouped as {@link #SIMPLE}. */
    FIRST,
    /** Words take the label of their tokens' mean scores, then are grouped as {@link #SIMPLE}. */
    AVERAGE,
    /** Words take the label of their most confident token, then are grouped as {@link #SIMPLE}. */
    MAX;

    /** The name used by Hugging Face and on the command line: none, simple, first, average, max. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The strategy named {@code name} (case-insensitive). */
    public static AggregationStrategy parse(String name) {
        for (AggregationStrategy s : values()) {
            if (s.key().equalsIgnoreCase(name.strip())) {
                return s;
            }
        }
        throw new LsgException("unknown aggregation strategy \"" + name + "\"; expected one of "
                + Arrays.stream(values()).map(AggregationStrategy::key).collect(Collectors.joining(", ")));
    }
}
