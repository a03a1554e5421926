package org.lsg4j.pipelines;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One proposal for a mask, serialised as the Hugging Face fill-mask pipeline's dict.
 *
 * @param score the softmax over the whole vocabulary at the mask, taken at {@code token} (float32)
 * @param token the proposed id
 * @param tokenStr the id decoded alone ({@code " capital"} for {@code Ġcapital})
 * @param sequence the input with this proposal in place of its mask, decoded
 */
@JsonPropertyOrder({"score", "token", "token_str", "sequence"})
public record FillMaskCandidate(double score, int token, @JsonProperty("token_str") String tokenStr, String sequence) {
}
