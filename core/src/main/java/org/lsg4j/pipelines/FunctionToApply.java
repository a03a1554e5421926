package org.lsg4j.pipelines;

import org.lsg4j.LsgException;

import java.util.Arrays;
import java.util.Locale;

/** What turns text-classification logits into scores, as the pipeline's {@code function_to_apply}. */
public enum FunctionToApply {
    /** Independent probabilities: 1 / (1 + exp(-x)). */
    SIGMOID,
    /** A distribution over the labels: exp(x - max) / sum. */
    SOFTMAX,
    /** The raw logits. */
    NONE;

    /** Parses {@code sigmoid}, {@code softmax} or {@code none}, in any case. */
    public static FunctionToApply parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LsgException("function_to_apply must be sigmoid, softmax or none, not '" + name + "'");
        }
    }

    /**
     * The pipeline's default for a model: sigmoid for multi-label classification or a single
     * label, softmax otherwise.
     */
    static FunctionToApply defaultFor(String problemType, int numLabels) {
        return "multi_label_classification".equals(problemType) || numLabels == 1 ? SIGMOID : SOFTMAX;
    }

    float[] apply(float[] logits, int from, int n) {
        return switch (this) {
            case SIGMOID -> Scores.sigmoid(logits, from, n);
            case SOFTMAX -> Scores.softmax(logits, from, n);
            case NONE -> Arrays.copyOfRange(logits, from, from + n);
        };
    }
}
