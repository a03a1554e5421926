package org.lsg4j.model;

import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;

import java.util.Map;

/** {@code classifier}: a linear layer per token. Loss: cross-entropy over labels that are not -100. */
final class TokenClassificationHead implements TaskHead {
    private final Linear classifier;

    TokenClassificationHead(WeightReader w, LsgConfig c) {
        this.classifier = Linear.load(w, "classifier", c.hiddenSize(), c.numLabels());
    }

    @Override
    public void forward(LsgRobertaModel.Encoded e, ModelInputs in, Workers workers, Map<String, FloatTensor> out) {
        int rows = e.n() * e.t();
        int labels = classifier.out();
        float[] logits = classifier.forward(workers, e.lastHiddenState(), rows);
        out.put("logits", new FloatTensor(new int[]{e.n(), e.t(), labels}, logits));
        if (in.labels() != null) {
            long[] targets = Losses.classTargets(in.labels(), rows, "labels");
            out.put("loss", MaskedLmHead.scalar(
                    Losses.crossEntropy(logits, rows, labels, targets, Losses.IGNORE_INDEX, "labels")));
        }
    }
}
