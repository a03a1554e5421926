package org.lsg4j.pipelines;

/**
 * Parameters of {@link TextClassificationPipeline}, named after the Hugging Face pipeline's.
 *
 * @param labels which labels to return (top_k, or the legacy forms)
 * @param functionToApply how logits become scores, or null for the model's default
 * @param maxLength truncate inputs to this many tokens, or null to truncate only inputs longer
 *     than the model (with a warning)
 * @param batchSize inputs run together, padded to the longest
 */
public record TextClassificationOptions(LabelSelection labels, FunctionToApply functionToApply, Integer maxLength,
        int batchSize) {
    public TextClassificationOptions {
        if (labels == null || batchSize < 1 || (maxLength != null && maxLength < 2)) {
            throw new IllegalArgumentException("text-classification needs labels, batch_size >= 1 and max_length >= 2");
        }
    }

    /** Legacy top label, default function, no truncation, batch size 1. */
    public static TextClassificationOptions defaults() {
        return new TextClassificationOptions(LabelSelection.legacy(), null, null, 1);
    }

    public TextClassificationOptions withLabels(LabelSelection l) {
        return new TextClassificationOptions(l, functionToApply, maxLength, batchSize);
    }

    public TextClassificationOptions withFunctionToApply(FunctionToApply f) {
        return new TextClassificationOptions(labels, f, maxLength, batchSize);
    }

    public TextClassificationOptions withMaxLength(Integer n) {
        return new TextClassificationOptions(labels, functionToApply, n, batchSize);
    }

    public TextClassificationOptions withBatchSize(int n) {
        return new TextClassificationOptions(labels, functionToApply, maxLength, n);
    }
}
