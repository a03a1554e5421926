package org.lsg4j.model;

import java.util.Map;

import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;

/** A head on top of the encoder: turns the encoder's output into the task's named outputs. */
interface TaskHead {
    /**
     * @param encoded the encoder's output for the batch (flattened choices for multiple choice)
     * @param workers the threads to run the head's products on
     * @param out     receives logits / start_logits / end_logits / loss
     */
    void forward(LsgRobertaModel.Encoded encoded, ModelInputs inputs, Workers workers, Map<String, FloatTensor> out);
}
