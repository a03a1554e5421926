package org.lsg4j.pipelines;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/**
 * The proposals for one input: one ranked list per mask, in text order. Serialised as the Hugging
 * Face pipeline returns it: the list itself when the input has one mask, a list of lists otherwise.
 *
 * @param masks for each mask, its proposals, best first
 */
public record FillMaskResult(List<List<FillMaskCandidate>> masks) {
    public FillMaskResult {
        masks = masks.stream().map(List::copyOf).toList();
    }

    /** The pipeline's JSON shape. */
    @JsonValue
    public Object json() {
        return masks.size() == 1 ? masks.get(0) : masks;
    }
}
