package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.Activations;
import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

import java.util.Map;

/**
 * {@code classifier.dense}, tanh, {@code classifier.out_proj} on row 0 of the encoder output.
 * The loss follows problem_type, inferred when unset: 1 label is regression (MSE), int64 labels
 * single-label (cross-entropy), float labels multi-label (BCE with logits).
 */
final class SequenceClassificationHead implements TaskHead {
    private final Linear dense;
    private final Linear outProj;
    private final LsgConfig c;

    SequenceClassificationHead(WeightReader w, LsgConfig c) {
        int d = c.hiddenSize();
        this.c = c;
        this.dense = Linear.load(w, "classifier.dense", d, d);
        this.outProj = Linear.load(w, "classifier.out_proj", d, c.numLabels());
    }

    @Override
    public void forward(LsgRobertaModel.Encoded e, ModelInputs in, Workers workers, Map<String, FloatTensor> out) {
        int n = e.n();
        int d = dense.in();
        int labels = c.numLabels();
        float[] first = new float[n * d];
        for (int r = 0; r < n; r++) {
            System.arraycopy(e.lastHiddenState(), r * e.t() * d, first, r * d, d);
        }
        float[] x = dense.forward(workers, first, n);
        Activations.tanh(x, 0, x.length);
        float[] logits = outProj.forward(workers, x, n);
        out.put("logits", new FloatTensor(new int[]{n, labels}, logits));
        if (in.labels() == null) {
            return;
        }
        float loss = switch (problemType(in)) {
            case "regression" -> Losses.mse(logits, Losses.floatTargets(in.labels(), n * labels, "labels"));
            case "single_label_classification" -> Losses.crossEntropy(logits, n, labels,
                    Losses.classTargets(in.labels(), n, "labels"), Losses.IGNORE_INDEX, "labels");
            case "multi_label_classification" -> Losses.bceWithLogits(logits,
                    Losses.floatTargets(in.labels(), n * labels, "labels"));
            default -> throw new LsgException("config.json: problem_type \"" + c.problemType()
                    + "\" is not one of regression, single_label_classification, multi_label_classification");
        };
        out.put("loss", MaskedLmHead.scalar(loss));
    }

    private String problemType(ModelInputs in) {
        if (c.problemType() != null) {
            return c.problemType();
        }
        if (c.numLabels() == 1) {
            return "regression";
        }
        return in.labels() instanceof LongTensor ? "single_label_classification" : "multi_label_classification";
    }
}
