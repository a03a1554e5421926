package org.lsg4j.model;

import java.util.Map;

import org.lsg4j.tensor.FloatTensor;

/** A head on top of the encoder: turns the encoder's output into the task's named outputs. */
interface TaskHead {
    /**
     * @param encoded the encoder's output for the batch (flattened choices for multiple choice)
     * @param out     receives logits / start_logits / end_logits / loss
     */
    void forward(LsgRobertaModel.Encoded encoded, ModelInputs inputs, Map<String, FloatTensor> out);
}
