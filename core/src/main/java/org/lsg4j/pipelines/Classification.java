package org.lsg4j.pipelines;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/**
 * The labels of one input, serialised in the shape the Hugging Face pipeline gives them.
 *
 * @param labels the labels, in the order the pipeline returns them
 * @param shape the JSON shape
 */
public record Classification(List<LabelScore> labels, Shape shape) {
    /** How the labels are written. */
    public enum Shape {
        /** The first label as a bare dict. */
        DICT,
        /** A list of dicts. */
        LIST,
        /** The list of dicts wrapped in one more list (legacy forms for a single text). */
        WRAPPED_LIST
    }

    public Classification {
        labels = List.copyOf(labels);
    }

    /** The pipeline's JSON shape. */
    @JsonValue
    public Object json() {
        return switch (shape) {
            case DICT -> labels.get(0);
            case LIST -> labels;
            case WRAPPED_LIST -> List.of(labels);
        };
    }
}
