package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A head on top of the encoder, built from its family's {@link Family.HeadSpec}: the input the
 * spec names, its layers in order, then the head's outputs and loss as the reference computes them.
 * <ul>
 * <li>masked LM: logits n x t x vocab; cross-entropy over labels that are not -100.</li>
 * <li>sequence classification: logits n x num_labels; the loss follows problem_type, inferred when
 * unset (1 label: MSE; int64 labels: cross-entropy; float labels: BCE with logits).</li>
 * <li>token classification: logits n x t x num_labels; cross-entropy over labels that are not -100.</li>
 * <li>question answering: start/end logits n x t (columns 0 and 1); positions clamped to [0, t],
 * cross-entropy ignoring t for each, mean of the two.</li>
 * <li>multiple choice: one score per flattened (sequence, choice) row, n x choices; cross-entropy.</li>
 * </ul>
 */
final class TaskHead {
    private final Head head;
    private final LsgConfig c;
    private final Family.Input input;
    private final List<Layer> layers = new ArrayList<>();

    /** One layer of the head: a linear layer then its activation, or a LayerNorm. */
    private record Layer(Linear linear, Activation activation, LayerNorm norm) {
    }

    /** What a forward pass keeps for the backward pass: each layer's input and, for linear layers, the output before the activation. */
    static final class Tape {
        final List<float[]> inputs = new ArrayList<>();
        final List<float[]> preActivations = new ArrayList<>();
        int rows;
        float[] logits;
        float[] dLogits;   // the loss's gradient, filled by the forward pass when there is a loss
    }

    TaskHead(WeightReader w, LsgConfig c, Head head, Linear wordEmbeddings) {
        Family.HeadSpec spec = c.family().heads().get(head);
        if (spec == null) {
            throw new LsgException(c.family().className(head, true) + " is not defined by the " + c.family().modelType()
                    + " family");
        }
        if (head == Head.QUESTION_ANSWERING && c.numLabels() != 2) {
            throw new LsgException("config.json: question answering needs 2 labels (start, end), id2label has "
                    + c.numLabels());
        }
        this.head = head;
        this.c = c;
        this.input = spec.input();
        int width = c.hiddenSize();
        for (Family.Step step : spec.steps()) {
            switch (step) {
                case Family.Dense dense -> {
                    int out = dense.out().applyAsInt(c);
                    layers.add(new Layer(Linear.load(w, dense.name(), width, out), dense.activation().apply(c), null));
                    width = out;
                }
                case Family.Norm norm -> layers.add(new Layer(null, null,
                        LayerNorm.load(w, norm.name(), width, norm.eps() == null ? c.layerNormEps() : norm.eps())));
                case Family.TiedDecoder decoder -> {
                    layers.add(new Layer(wordEmbeddings.withBias(w, biasName(w, decoder)), Activation.IDENTITY, null));
                    width = c.vocabSize();
                }
            }
        }
    }

    /** The decoder's bias: its own name, or {@code decoder.bias} when a checkpoint stores it there. */
    private static String biasName(WeightReader w, Family.TiedDecoder decoder) {
        return w.has(decoder.bias()) || !w.has(decoder.decoder() + ".bias") ? decoder.bias() : decoder.decoder() + ".bias";
    }

    /** The head's linear layers (the tied decoder included). */
    List<Linear> linears() {
        return layers.stream().filter(l -> l.linear() != null).map(Layer::linear).toList();
    }

    /** Whether the head reads pooler_output (so the encoder must load its pooler). */
    boolean usesPooler() {
        return input == Family.Input.POOLER;
    }

    /**
     * @param e    the encoder's output for the batch (flattened choices for multiple choice)
     * @param out  receives logits / start_logits / end_logits / loss
     * @param tape receives what the backward pass reads (and the loss's gradient), or null
     */
    void forward(LsgEncoder.Encoded e, ModelInputs in, Workers workers, Map<String, FloatTensor> out, Tape tape) {
        int d = c.hiddenSize();
        int rows;
        float[] x;
        long[] at = in.headPositions() == null ? null : in.headPositions().data();
        if (at != null && head != Head.MASKED_LM && head != Head.TOKEN_CLASSIFICATION) {
            throw new LsgException("head positions are for the masked-LM and token-classification heads, not "
                    + c.family().className(head, c.lsg()));
        }
        switch (input) {
            case TOKENS -> {
                rows = at == null ? e.n() * e.t() : at.length;
                x = at == null ? e.lastHiddenState() : gatherRows(e, at, d);
            }
            case FIRST_TOKEN -> {
                rows = e.n();
                x = new float[rows * d];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(e.lastHiddenState(), r * e.t() * d, x, r * d, d);
                }
            }
            default -> {
                rows = e.n();
                x = e.pooled();
            }
        }
        for (Layer layer : layers) {
            if (tape != null) {
                tape.inputs.add(x);
            }
            if (layer.norm() != null) {
                x = x.clone();
                layer.norm().apply(x, 0, rows);
                if (tape != null) {
                    tape.preActivations.add(null);
                }
            } else {
                x = layer.linear().forward(workers, x, rows);
                if (tape != null) {
                    tape.preActivations.add(x.clone());
                }
                layer.activation().apply(workers, x, 0, x.length);
            }
        }
        float[] grad = tape == null ? null : new float[x.length];
        if (tape != null) {
            tape.rows = rows;
            tape.logits = x;
            tape.dLogits = grad;
        }
        outputs(e, in, x, out, grad);
    }

    /**
     * The backward pass from the loss's gradient the forward pass left in the tape: returns the
     * gradient of the head's input, to be added to last_hidden_state's (n x t x d: row 0 of each
     * sequence for a first-token head) or pooler_output's (n x d) gradient, as {@link #input()} says.
     */
    float[] backward(Tape tape, Workers workers) {
        float[] g = tape.dLogits;
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            float[] x = tape.inputs.get(i);
            float[] dx = new float[x.length];
            if (layer.norm() != null) {
                layer.norm().backward(workers, x, 0, g, 0, tape.rows, dx, 0);
            } else {
                float[] pre = tape.preActivations.get(i);
                float[] post = i + 1 < layers.size() ? tape.inputs.get(i + 1) : tape.logits;
                layer.activation().backward(workers, pre, 0, post, g, g.length);
                layer.linear().backward(workers, x, 0, g, 0, tape.rows, dx, 0, false);
            }
            g = dx;
        }
        return g;
    }

    /** What the head reads. */
    Family.Input input() {
        return input;
    }

    /** The rows of last_hidden_state at flat positions {@code row * t + position}. */
    private static float[] gatherRows(LsgEncoder.Encoded e, long[] at, int d) {
        float[] x = new float[at.length * d];
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0 || at[i] >= (long) e.n() * e.t()) {
                throw new LsgException("head position " + at[i] + " is outside the batch's " + e.n() + " x " + e.t()
                        + " positions");
            }
            System.arraycopy(e.lastHiddenState(), (int) at[i] * d, x, i * d, d);
        }
        return x;
    }

    private void outputs(LsgEncoder.Encoded e, ModelInputs in, float[] logits, Map<String, FloatTensor> out,
                         float[] grad) {
        int n = e.n();
        int t = e.t();
        if (in.headPositions() != null) {
            int k = in.headPositions().data().length;
            out.put("logits", new FloatTensor(new int[]{k, logits.length / Math.max(1, k)}, logits));
            return;
        }
        switch (head) {
            case MASKED_LM, TOKEN_CLASSIFICATION -> {
                int classes = logits.length / (n * t);
                out.put("logits", new FloatTensor(new int[]{n, t, classes}, logits));
                if (in.labels() != null) {
                    long[] targets = Losses.classTargets(in.labels(), n * t, "labels");
                    out.put("loss", scalar(Losses.crossEntropy(logits, n * t, classes, targets, Losses.IGNORE_INDEX,
                            "labels", grad, 1f)));
                }
            }
            case SEQUENCE_CLASSIFICATION -> {
                int labels = c.numLabels();
                out.put("logits", new FloatTensor(new int[]{n, labels}, logits));
                if (in.labels() != null) {
                    out.put("loss", scalar(sequenceLoss(in, logits, n, labels, grad)));
                }
            }
            case QUESTION_ANSWERING -> {
                float[] start = new float[n * t];
                float[] end = new float[n * t];
                for (int i = 0; i < n * t; i++) {
                    start[i] = logits[2 * i];
                    end[i] = logits[2 * i + 1];
                }
                out.put("start_logits", new FloatTensor(new int[]{n, t}, start));
                out.put("end_logits", new FloatTensor(new int[]{n, t}, end));
                if (in.startPositions() != null && in.endPositions() != null) {
                    float[] dStart = grad == null ? null : new float[n * t];
                    float[] dEnd = grad == null ? null : new float[n * t];
                    float startLoss = Losses.crossEntropy(start, n, t, clamped(in.startPositions(), n, t, "start_positions"),
                            t, "start_positions", dStart, 0.5f);
                    float endLoss = Losses.crossEntropy(end, n, t, clamped(in.endPositions(), n, t, "end_positions"),
                            t, "end_positions", dEnd, 0.5f);
                    out.put("loss", scalar((startLoss + endLoss) / 2));
                    for (int i = 0; grad != null && i < n * t; i++) {
                        grad[2 * i] = dStart[i];
                        grad[2 * i + 1] = dEnd[i];
                    }
                }
            }
            case MULTIPLE_CHOICE -> {
                int choices = in.inputIds().dim(1);
                int batch = n / choices;
                out.put("logits", new FloatTensor(new int[]{batch, choices}, logits));
                if (in.labels() != null) {
                    long[] targets = Losses.classTargets(in.labels(), batch, "labels");
                    out.put("loss", scalar(Losses.crossEntropy(logits, batch, choices, targets, Losses.IGNORE_INDEX,
                            "labels", grad, 1f)));
                }
            }
            case BASE -> throw new IllegalStateException("the base model has no task head");
        }
    }

    private float sequenceLoss(ModelInputs in, float[] logits, int n, int labels, float[] grad) {
        return switch (problemType(in)) {
            case "regression" -> Losses.mse(logits, Losses.floatTargets(in.labels(), n * labels, "labels"), grad, 1f);
            case "single_label_classification" -> Losses.crossEntropy(logits, n, labels,
                    Losses.classTargets(in.labels(), n, "labels"), Losses.IGNORE_INDEX, "labels", grad, 1f);
            case "multi_label_classification" -> Losses.bceWithLogits(logits,
                    Losses.floatTargets(in.labels(), n * labels, "labels"), grad, 1f);
            default -> throw new LsgException("config.json: problem_type \"" + c.problemType()
                    + "\" is not one of regression, single_label_classification, multi_label_classification");
        };
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

    private static long[] clamped(LongTensor positions, int n, int t, String name) {
        if (positions.data().length != n) {
            throw new LsgException(name + ": expected " + n + " positions, found shape " + positions.shapeString());
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.min(Math.max(positions.data()[i], 0), t);
        }
        return out;
    }

    static FloatTensor scalar(float v) {
        return new FloatTensor(new int[0], new float[]{v});
    }
}
