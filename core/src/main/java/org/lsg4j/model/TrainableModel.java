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
    private final List<String> initialized;
    private final List<Linear> linears = new ArrayList<>();
    private final boolean layersTrainable;   // whether any weight below the pooler gets a gradient
    private long lastTapeBytes;

    private TrainableModel(LsgModel model, Parameters parameters, List<String> initialized) {
        this.model = model;
        this.parameters = parameters;
        this.initialized = List.copyOf(initialized);
        linears.addAll(model.encoder().linears());
        if (model.taskHead() != null) {
            linears.addAll(model.taskHead().linears());
        }
        Family.HeadSpec spec = model.config().family().heads().get(model.head());
        String pooler = model.encoder().poolerName();
        this.layersTrainable = parameters.all().stream().anyMatch(p -> p.trainable()
                && !(spec != null && spec.owns(p.name())) && !(pooler != null && p.name().startsWith(pooler + ".")));
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
        return new TrainableModel(LsgModel.loadTrainable(dir, config, h, parameters, null, new ArrayList<>()),
                parameters, List.of());
    }

    /**
     * Loads a checkpoint folder to train {@code head} on it, as {@code AutoModelFor<Head>.from_pretrained}
     * does: a checkpoint without that head (a base model, or another head) gets the head, and the
     * pooler when the head reads it, newly initialized (see {@link #initialized()}); a base model's
     * weights take the task model's names ({@code bert.embeddings.*}).
     *
     * @param trainable which parameters get gradients, as {@link #trainable(String, Family.HeadSpec)} reads
     *                  it; newly initialized ones always do
     * @param seed      the seed of the newly initialized weights
     */
    public static TrainableModel forTraining(Path dir, Head head, Map<String, String> overrides, String trainable,
                                             long seed) {
        LsgConfig config = LsgConfig.load(dir.resolve("config.json"), overrides);
        if (head == null || head == Head.BASE) {
            throw new LsgException("training needs a task head, got " + head);
        }
        Parameters parameters = new Parameters(trainable(trainable, config.family().heads().get(head)));
        List<String> initialized = new ArrayList<>();
        LsgModel m = LsgModel.loadTrainable(dir, config, head, parameters,
                new WeightReader.NewWeights(seed, config.initializerRange()), initialized);
        return new TrainableModel(m, parameters, initialized);
    }

    /**
     * A model of the given shape, family and head with weights drawn from {@code seed}, for
     * benchmarks (see {@link LsgModel#random}).
     */
    public static TrainableModel random(LsgConfig config, Head head, long seed, Predicate<String> trainable) {
        Parameters parameters = new Parameters(trainable);
        return new TrainableModel(LsgModel.build(new WeightReader(new RandomWeights(seed),
                "random weights (seed " + seed + ")", parameters), config, head), parameters, List.of());
    }

    /**
     * A predicate over checkpoint names as {@code --trainable} spells it: {@code all}, or names a
     * tensor's checkpoint name must contain (any of them), separated by commas.
     */
    public static Predicate<String> trainable(String spec) {
        return trainable(spec, null);
    }

    /**
     * A predicate over checkpoint names as {@code --trainable} spells it: {@code all}, or a comma
     * separated list of {@code head} (the task head's tensors), {@code global} (the model card's
     * recipe: names containing {@code global_embeddings}, and the head) and parts of names (a
     * tensor whose name contains any of them).
     *
     * @param head the head being trained, or null when there is none ({@code head} and {@code global} are refused)
     */
    public static Predicate<String> trainable(String spec, Family.HeadSpec head) {
        if (spec.isBlank()) {
            throw new LsgException("--trainable is empty: give all, head, global, or parts of parameter names"
                    + " separated by commas");
        }
        if (spec.strip().equals("all")) {
            return name -> true;
        }
        Predicate<String> out = name -> false;
        for (String p : spec.split(",")) {
            String part = p.strip();
            if (part.isEmpty()) {
                continue;
            }
            if ((part.equals("head") || part.equals("global")) && head == null) {
                throw new LsgException("--trainable " + part + ": the model has no task head");
            }
            Predicate<String> one = switch (part) {
                case "all" -> throw new LsgException("--trainable " + spec + ": all cannot be combined with other names");
                case "head" -> head::owns;
                case "global" -> name -> name.contains("global_embeddings") || head.owns(name);
                default -> name -> name.contains(part);
            };
            out = out.or(one);
        }
        return out;
    }

    /** The keys the checkpoint did not have and that were newly initialized, in the order they were read. */
    public List<String> initialized() {
        return initialized;
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
        // when no layer learns, the backward pass stops at the pooler: the layers' tapes are never read
        pass.encoder.recompute = mode.recompute() || !layersTrainable;
        double p = model.config().hiddenDropoutProb();
        double pa = model.config().attentionProbsDropoutProb();
        pass.encoder.dropout = mode.dropout() && (p > 0 || pa > 0) ? new Dropout(mode.seed(), p, pa) : null;
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
        model.encoder().backward(pass.encoder, dLast, dPooled, layersTrainable);
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
