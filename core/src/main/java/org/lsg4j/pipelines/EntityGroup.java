package org.lsg4j.pipelines;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * Consecutive tokens or words with one label (aggregation simple, first, average or max). Field
 * names and order are those of Hugging Face's output: {@code entity_group, score, word, start, end}.
 *
 * @param entityGroup the label without its {@code B-}/{@code I-} prefix (text after the first {@code -})
 * @param score       the mean of the members' scores
 * @param word        the members decoded as text, e.g. {@code " New York"}
 * @param start       first char of the group in the text (UTF-16 index)
 * @param end         one past its last char
 */
@JsonPropertyOrder({"entity_group", "score", "word", "start", "end"})
public record EntityGroup(@JsonProperty("entity_group") String entityGroup,
                          @JsonSerialize(using = Float32AsDouble.class) float score, String word, int start, int end)
        implements Entity {
    @Override
    @JsonIgnore
    public String label() {
        return entityGroup;
    }
}
