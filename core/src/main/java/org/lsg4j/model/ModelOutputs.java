package org.lsg4j.model;

import org.lsg4j.tensor.FloatTensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outputs of a forward pass under the reference's names: last_hidden_state, pooler_output,
 * logits, start_logits, end_logits, loss (0-d), hidden_states.K.
 */
public record ModelOutputs(Map<String, FloatTensor> tensors) {
    public ModelOutputs {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** The output named {@code name}, or null. */
    public FloatTensor get(String name) {
        return tensors.get(name);
    }
}
