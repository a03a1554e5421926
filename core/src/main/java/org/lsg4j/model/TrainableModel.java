package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A model that learns: the same layers as {@link LsgModel}, built over a {@link Parameters}
 * registry that keeps every tensor's raw values and, for the trainable ones, their gradients.
 * {@link #forwardBackward} runs the forward pass keeping what the backward pass reads, then the
 * backward pass, accumulating gradients; an optimizer then updates the parameters' values and
 * {@link #refresh()} repacks the kernels' copies. Not thread-safe: one training loop owns it.
 */
public final class TrainableModel {
    private final LsgModel model;
    private final Parameters parameters;
    private final List<Linear> linears = new ArrayList<>();
    private long lastTapeBytes;

    private TrainableModel(LsgModel model, Parameters parameters) {
        this.model = model;
        this.parameters = parameters;
        linears.addAll(model.encoder().linears());
        if (model.taskHead() != null) {
            linears.addAll(model.taskHead().linears());
        }
    }

    /**
     * Loads a checkpoint folder for training.
     *
     * @param head      the head to train, or null for the one config.json names
     * @param overrides config keys replaced as {@code from_pretrained(dir, key=value)} does
     * @param trainable which checkpoint names get gradients (the others are frozen)
     */
    public static TrainableModel load(Path dir, Head head, Map<String, String> overrides, Predicate<String> trainable) {
        LsgConfig config = LsgConfig.load(dir.resolve("config.json"), overrides);
        Head h = head != null ? head : config.architecture().head();
        if (h == null) {
            throw new LsgException(dir.resolve("config.json") + ": architectures names "
                    + config.architecture().className() + ", whose head lsg4j does not run; name the head to train");
        }
        Parameters parameters = new Parameters(trainable);
        return new TrainableModel(LsgModel.loadTrainable(dir, config, h, parameters), parameters);
    }

    /**
     * A model of the given shape, family and head with weights drawn from {@code seed}, for
     * benchmarks (see {@link LsgModel#random}).
     */
    public static TrainableModel random(LsgConfig config, Head head, long seed, Predicate<String> trainable) {
        Parameters parameters = new Parameters(trainable);
        return new TrainableModel(LsgModel.build(new WeightReader(new RandomWeights(seed),
                "random weights (seed " + seed + ")", parameters), config, head), parameters);
    }

    /**
     * A predicate over checkpoint names as {@code --trainable} spells it: {@code all}, or names a
     * tensor's checkpoint name must contain (any of them), separated by commas.
     */
    public static Predicate<String> trainable(String spec) {
        if (spec.isBlank()) {
            throw new LsgException("--trainable is empty: give all, or parts of parameter names separated by commas");
        }
        if (spec.equals("all")) {
            return name -> true;
        }
        List<String> parts = new ArrayList<>();
        for (String p : spec.split(",")) {
            if (!p.isBlank()) {
                parts.add(p.strip());
            }
        }
        return name -> parts.stream().anyMatch(name::contains);
    }

    /** The model as inference sees it (its weights follow the parameters after each {@link #refresh()}). */
    public LsgModel model() {
        return model;
    }

    public Parameters parameters() {
        return parameters;
    }

    /**
     * One forward and backward pass. The loss is the head's own when the inputs carry its labels
     * (start and end positions for question answering), else the sum of squares of
     * last_hidden_state, returned as {@code grad_loss}. Gradients of {@code lossScale} times the
     * loss are added to the trainable parameters' gradients (a micro-batch of gradient
     * accumulation passes 1 / micro-batches).
     *
     * @return the forward outputs, with {@code loss} or {@code grad_loss}
     */
    public ModelOutputs forwardBackward(ModelInputs in, Workers workers, float lossScale) {
        return forwardBackward(in, workers, lossScale, Mode.EVAL);
    }

    /**
     * How a forward and backward pass runs.
     *
     * @param dropout    training mode: hidden dropout (hidden_dropout_prob) from a generator seeded by {@code seed}
     * @param seed       the dropout seed of this pass (a training loop gives each step its own)
     * @param recompute  keep only each layer's input during the forward pass and recompute the rest in the
     *                   backward pass: memory of one layer instead of all, for about a third more compute
     */
    public record Mode(boolean dropout, long seed, boolean recompute) {
        /** Eval mode (no dropout), everything kept: what the reference's gradient fixtures use. */
        public static final Mode EVAL = new Mode(false, 0, false);
    }

    /** One forward and backward pass in the given mode (see {@link #forwardBackward(ModelInputs, Workers, float)}). */
    public ModelOutputs forwardBackward(ModelInputs in, Workers workers, float lossScale, Mode mode) {
        LsgModel.Pass pass = new LsgModel.Pass();
        pass.encoder.recompute = mode.recompute();
        double p = model.config().hiddenDropoutProb();
        pass.encoder.dropout = mode.dropout() && p > 0 ? new Dropout(mode.seed(), p) : null;
        ModelOutputs forward = model.run(in, workers, pass);
        lastTapeBytes = pass.encoder.peakTapeBytes;
        Map<String, FloatTensor> out = new LinkedHashMap<>(forward.tensors());
        LsgEncoder.Encoded e = pass.encoded;
        int d = model.config().hiddenSize();
        float[] dLast = new float[e.n() * e.t() * d];
        float[] dPooled = null;
        TaskHead head = model.taskHead();
        if (head != null && out.containsKey("loss")) {
            float[] g = pass.head.dLogits;
            for (int i = 0; i < g.length; i++) {
                g[i] *= lossScale;
            }
            float[] dIn = head.backward(pass.head, workers);
            switch (head.input()) {
                case TOKENS -> System.arraycopy(dIn, 0, dLast, 0, dLast.length);
                case FIRST_TOKEN -> {
                    for (int r = 0; r < e.n(); r++) {
                        System.arraycopy(dIn, r * d, dLast, r * e.t() * d, d);
                    }
                }
                case POOLER -> dPooled = dIn;
            }
        } else {
            float[] last = e.lastHiddenState();
            double loss = 0;
            for (int i = 0; i < last.length; i++) {
                loss += (double) last[i] * last[i];
                dLast[i] = 2 * last[i] * lossScale;
            }
            out.put("grad_loss", TaskHead.scalar((float) loss));
        }
        model.encoder().backward(pass.encoder, dLast, dPooled);
        return new ModelOutputs(out);
    }

    /**
     * The bytes the last pass's layer tapes held at their peak: per row (token) per layer
     * application {@link #tapeBytesPerTokenPerLayer()}, or with recomputation one layer's tape plus
     * every layer's input.
     */
    public long lastTapeBytes() {
        return lastTapeBytes;
    }

    /** Bytes a layer's tape keeps per token (per row of the layer: global tokens and padding included). */
    public long tapeBytesPerTokenPerLayer() {
        return LsgLayer.Tape.bytesPerRow(model.config());
    }

    /** Repacks every linear layer's kernel copy from the parameters' values, after they changed. */
    public void refresh() {
        for (Linear l : linears) {
            l.refresh();
        }
    }
}
