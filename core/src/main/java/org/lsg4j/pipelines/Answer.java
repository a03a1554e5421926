package org.lsg4j.pipelines;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * An extracted answer, with the fields of Hugging Face's question-answering output.
 *
 * @param score  start probability times end probability (see {@link QuestionAnsweringPipeline})
 * @param start  first char of the answer in the context (Java {@code String}, UTF-16 index)
 * @param end    one past its last char
 * @param answer {@code context.substring(start, end)}; empty for the "no answer" result
 */
@JsonPropertyOrder({"score", "start", "end", "answer"})
public record Answer(@JsonSerialize(using = Float32AsDouble.class) float score, int start, int end, String answer) {
}
