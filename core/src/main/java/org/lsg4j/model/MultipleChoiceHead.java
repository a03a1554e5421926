package org.lsg4j.model;

import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;

import java.util.Map;

/**
 * {@code classifier} (d -> 1) on the pooler output of each flattened (sequence, choice) row,
 * reshaped to n x choices. Loss: cross-entropy over the choices.
 */
final class MultipleChoiceHead implements TaskHead {
    private final Linear classifier;

    MultipleChoiceHead(WeightReader w, LsgConfig c) {
        this.classifier = Linear.load(w, "classifier", c.hiddenSize(), 1);
    }

    @Override
    public void forward(LsgRobertaModel.Encoded e, ModelInputs in, Workers workers, Map<String, FloatTensor> out) {
        int choices = in.inputIds().dim(1);
        int n = e.n() / choices;
        float[] logits = classifier.forward(workers, e.pooled(), e.n());
        out.put("logits", new FloatTensor(new int[]{n, choices}, logits));
        if (in.labels() != null) {
            long[] targets = Losses.classTargets(in.labels(), n, "labels");
            out.put("loss", MaskedLmHead.scalar(
                    Losses.crossEntropy(logits, n, choices, targets, Losses.IGNORE_INDEX, "labels")));
        }
    }
}
