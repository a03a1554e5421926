package org.lsg4j.pipelines;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * A token and its most probable label (aggregation none). Field names and order are those of
 * Hugging Face's output: {@code entity, score, index, word, start, end}.
 *
 * @param entity the label from the model's id2label
 * @param score  its softmax probability
 * @param index  the token's position in the model input it came from ({@code <s>} is 0); with
 *               windows, the position in its window, as Hugging Face reports it
 * @param word   the token string of the vocabulary, e.g. {@code Ġworld} (byte-level alphabet)
 * @param start  first char of the token in the text (UTF-16 index)
 * @param end    one past its last char
 */
@JsonPropertyOrder({"entity", "score", "index", "word", "start", "end"})
public record TokenEntity(String entity, @JsonSerialize(using = Float32AsDouble.class) float score, int index, String word, int start, int end) implements Entity {
    @Override
    @JsonIgnore
    public String label() {
        return entity;
    }
}
