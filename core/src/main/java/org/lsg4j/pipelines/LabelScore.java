package org.lsg4j.pipelines;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A label and its score, serialised as the Hugging Face text-classification pipeline's dict.
 *
 * @param label the label name from config.json id2label
 * @param score the label's logit after the function to apply (float32)
 */
@JsonPropertyOrder({"label", "score"})
public record LabelScore(String label, double score) {
}
