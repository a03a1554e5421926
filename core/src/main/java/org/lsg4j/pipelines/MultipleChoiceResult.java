package org.lsg4j.pipelines;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;

/**
 * The scores of the choices of one prompt. Hugging Face has no multiple-choice pipeline; this is
 * lsg4j's output: {@code {"choices": [...], "scores": [...], "best": i}}.
 *
 * @param choices the choices, in input order
 * @param scores  softmax over the choices' logits, in the same order
 * @param best    index of the highest score (the first one on ties)
 */
@JsonPropertyOrder({"choices", "scores", "best"})
public record MultipleChoiceResult(List<String> choices,
                                   @JsonSerialize(using = Float32AsDouble.class) float[] scores, int best) {
    public MultipleChoiceResult {
        choices = List.copyOf(choices);
        scores = scores.clone();
    }

    /** The softmax of the choices' logits and its argmax. */
    static MultipleChoiceResult fromLogits(List<String> choices, float[] logits) {
        float[] scores = Scores.softmax(logits, 0, logits.length);
        return new MultipleChoiceResult(choices, scores, Scores.top(scores, 1)[0]);
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }
}
