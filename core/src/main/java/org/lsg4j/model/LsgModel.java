package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.io.Checkpoint;
import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An encoder of any supported family with one of its heads, loaded from a checkpoint folder:
 * config.json plus the weights (model.safetensors, sharded safetensors or pytorch_model.bin). An
 * LSG checkpoint runs with LSG attention; a plain one (no LSG keys, a class name without
 * {@code LSG}) runs with full attention and no global tokens, exactly as Hugging Face runs it.
 * Immutable and safe to share between threads; each {@link #forward} call is independent.
 */
public final class LsgModel {
    /** The load warning of a base model whose checkpoint has no pooler (commands that never read pooler_output drop it). */
    public static final String NO_POOLER_WEIGHTS = "the checkpoint has no pooler weights: pooler_output is not computed";

    private final LsgConfig config;
    private final Head head;
    private final LsgEncoder encoder;
    private final TaskHead taskHead;   // null for the base model
    private final List<String> warnings;

    private LsgModel(LsgConfig config, Head head, LsgEncoder encoder, TaskHead taskHead, List<String> warnings) {
        this.config = config;
        this.head = head;
        this.encoder = encoder;
        this.taskHead = taskHead;
        this.warnings = List.copyOf(warnings);
    }

    /** Loads the folder with the head its config.json {@code architectures} names (the base model when absent). */
    public static LsgModel load(Path dir) {
        return load(dir, Map.of());
    }

    /**
     * Loads the folder with config keys overridden, as {@code from_pretrained(dir, key=value, ...)}
     * does (see {@link LsgConfig#load(Path, Map)}).
     */
    public static LsgModel load(Path dir, Map<String, String> overrides) {
        LsgConfig config = LsgConfig.load(requireFolder(dir).resolve("config.json"), overrides);
        return load(dir, config, headOf(config, dir));
    }

    /**
     * Loads the folder with the given head. The base model reads the encoder of any task
     * checkpoint; its pooler only when the checkpoint has one.
     */
    public static LsgModel load(Path dir, Head head) {
        return load(dir, head, Map.of());
    }

    /** Loads the folder with the given head and config overrides. */
    public static LsgModel load(Path dir, Head head, Map<String, String> overrides) {
        return load(dir, LsgConfig.load(requireFolder(dir).resolve("config.json"), overrides), head);
    }

    /**
     * A model of the given shape and family with weights drawn from {@code seed} (see
     * {@link RandomWeights}), for benchmarks.
     */
    public static LsgModel random(LsgConfig config, Head head, long seed) {
        return build(new WeightReader(new RandomWeights(seed), "random weights (seed " + seed + ")", null), config, head);
    }

    private static LsgModel load(Path dir, LsgConfig config, Head head) {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            return build(new WeightReader(checkpoint, dir.toString()), config, head);
        }
    }

    /**
     * A model whose layers register their tensors in {@code parameters} (a trainable model's).
     *
     * @param newWeights how to make the head's and the pooler's weights when the checkpoint lacks
     *                   them, or null to refuse such a checkpoint; with it, a base model's
     *                   checkpoint is read under the task model's names ({@code bert.embeddings.*})
     * @param initialized receives the keys that were newly initialized
     */
    static LsgModel loadTrainable(Path dir, LsgConfig config, Head head, Parameters parameters,
                                  WeightReader.NewWeights newWeights, List<String> initialized) {
        try (Checkpoint checkpoint = Checkpoint.open(requireFolder(dir))) {
            WeightSource source = WeightSource.of(checkpoint);
            String base = config.family().baseModelPrefix() + ".";
            if (newWeights != null && head != Head.BASE && !source.has(base + "embeddings.word_embeddings.weight")
                    && source.has("embeddings.word_embeddings.weight")) {
                source = WeightSource.prefixed(source, base);
            }
            WeightReader w = new WeightReader(source, dir.toString(), parameters, newWeights);
            LsgModel model = build(w, config, head);
            initialized.addAll(w.initialized());
            return model;
        }
    }

    static LsgModel build(WeightReader w, LsgConfig config, Head head) {
        Family family = config.family();
        String base = family.baseModelPrefix() + ".";
        String prefix = w.has(base + "embeddings.word_embeddings.weight") ? base : "";
        Family.HeadSpec spec = family.heads().get(head);
        String poolerKey = family.pooler() == null ? null : prefix + family.pooler() + ".";
        w.allowNew(key -> spec != null && spec.owns(key) || poolerKey != null && key.startsWith(poolerKey));
        boolean pooler = head == Head.BASE || spec != null && spec.input() == Family.Input.POOLER;
        LsgEncoder encoder = new LsgEncoder(w, prefix, config, pooler, head == Head.BASE);
        TaskHead taskHead = head == Head.BASE ? null : new TaskHead(w, config, head, encoder.wordEmbeddings());
        List<String> warnings = new ArrayList<>(config.warnings());
        List<String> unused = w.finish(key -> ignorable(key, family, prefix)
                || head == Head.BASE && ofSomeHead(key, family));
        if (!unused.isEmpty()) {
            warnings.add("checkpoint weights not used by " + family.className(head, config.lsg()) + ": "
                    + String.join(", ", unused.subList(0, Math.min(8, unused.size())))
                    + (unused.size() > 8 ? ", ... (" + unused.size() + " in all)" : ""));
        }
        if (head == Head.BASE && !encoder.hasPooler() && family.pooler() != null) {
            warnings.add(NO_POOLER_WEIGHTS);
        }
        return new LsgModel(config, head, encoder, taskHead, warnings);
    }

    private static Path requireFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LsgException(dir + ": no such model folder");
        }
        return dir;
    }

    private static Head headOf(LsgConfig config, Path dir) {
        Architecture a = config.architecture();
        if (a.head() == null) {
            throw new LsgException(dir.resolve("config.json") + ": architectures names " + a.className()
                    + ", which lsg4j recognises but does not run; it runs " + family(config) + " with the heads "
                    + Head.supported() + " (the encoder of any checkpoint loads as the base model)");
        }
        return a.head();
    }

    private static String family(LsgConfig config) {
        return config.family().classStem();
    }

    /**
     * Keys a checkpoint may hold that the model derives or the reference ignores: buffers, tied
     * decoder copies, and the pooler of a head that does not read it.
     */
    private static boolean ignorable(String key, Family family, String prefix) {
        if (key.endsWith("embeddings.position_ids") || key.endsWith("embeddings.token_type_ids")) {
            return true;
        }
        if (family.pooler() != null && key.startsWith(prefix + family.pooler() + ".")) {
            return true;
        }
        for (Family.HeadSpec spec : family.heads().values()) {
            for (Family.Step step : spec.steps()) {
                if (step instanceof Family.TiedDecoder decoder
                        && (key.equals(decoder.decoder() + ".weight") || key.equals(decoder.decoder() + ".bias"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a key belongs to one of the family's heads, which the base model leaves unused (as the reference does). */
    private static boolean ofSomeHead(String key, Family family) {
        for (Family.HeadSpec spec : family.heads().values()) {
            for (Family.Step step : spec.steps()) {
                String name = switch (step) {
                    case Family.Dense d -> d.name();
                    case Family.Norm n -> n.name();
                    case Family.TiedDecoder t -> t.decoder();
                };
                if (key.startsWith(name + ".") || step instanceof Family.TiedDecoder t && key.equals(t.bias())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One line: the class, its shape and its LSG attention, e.g. for logs. */
    @Override
    public String toString() {
        LsgConfig c = config;
        String attention = !c.lsg() ? "full attention"
                : "LSG " + c.sparsityType().configName() + " x" + c.sparsityFactor()
                + ", block " + c.blockSize() + ", " + c.numGlobalTokens() + " global";
        return "LsgModel[" + architecture() + ", " + c.numHiddenLayers() + " layers x " + c.hiddenSize() + ", "
                + c.numAttentionHeads() + " heads, " + c.maxTokens() + " tokens, " + attention + "]";
    }

    public LsgConfig config() {
        return config;
    }

    public Head head() {
        return head;
    }

    /** The class this model is: {@code LSGBertForMaskedLM}, {@code RobertaModel}, ... */
    public String architecture() {
        return config.family().className(head, config.lsg());
    }

    /** What loading reported: config validation and checkpoint keys nobody uses. */
    public List<String> warnings() {
        return warnings;
    }

    /** Runs the model on the common fork/join pool; outputs are named as the reference's (see {@link ModelOutputs}). */
    public ModelOutputs forward(ModelInputs in) {
        return forward(in, Workers.common());
    }

    /** Runs the model with its kernels split between {@code workers}. */
    public ModelOutputs forward(ModelInputs in, Workers workers) {
        return run(in, workers, null);
    }

    /**
     * Runs the encoder alone, whatever the head: last_hidden_state (and pooler_output when the
     * checkpoint has pooler weights) as the base model gives them, plus the hidden states when
     * asked. The embedding pipelines read this, so a model loaded once with a task head also embeds.
     */
    public ModelOutputs forwardEncoder(ModelInputs in, Workers workers) {
        return run(in, workers, null, false);
    }

    /** The tapes of a forward pass run for a backward pass, and the encoder's result. */
    static final class Pass {
        final LsgEncoder.Tape encoder = new LsgEncoder.Tape();
        final TaskHead.Tape head = new TaskHead.Tape();
        LsgEncoder.Encoded encoded;
    }

    LsgEncoder encoder() {
        return encoder;
    }

    TaskHead taskHead() {
        return taskHead;
    }

    /** Layers run in a forward pass, counting each application of a shared layer: what {@link #sparseSources} takes. */
    public int layerApplications() {
        return encoder.applications();
    }

    /**
     * Which ordinary positions made each sparse key of layer {@code layer}, head {@code head}, on one
     * sequence: runs the layers up to that one's self-attention (the lsh draws are taken in the
     * forward pass's order, so they match {@link #forward}'s) and reads what its sparsity function
     * chose. Null when the sequence has no sparse keys (the short path, sparsity none, no sparse
     * tokens).
     *
     * @param in    one sequence: input_ids of shape (1, tokens), (1, 1, tokens) for multiple choice
     * @param layer from 0 to {@link #layerApplications()} - 1
     * @param head  from 0 to num_attention_heads - 1
     */
    public SparseSources sparseSources(ModelInputs in, int layer, int head, Workers workers) {
        int t = validate(in);
        if (in.inputIds().data().length != t) {
            throw new LsgException("sparse sources are read for one sequence: input_ids has shape "
                    + in.inputIds().shapeString());
        }
        if (layer < 0 || layer >= layerApplications()) {
            throw new LsgException("layer must be in [0, " + layerApplications() + "), got " + layer);
        }
        if (head < 0 || head >= config.numAttentionHeads()) {
            throw new LsgException("head must be in [0, " + config.numAttentionHeads() + ") (num_attention_heads), got "
                    + head);
        }
        return encoder.sparseSources(in.inputIds().data(), data(in.attentionMask()), data(in.tokenTypeIds()), t,
                draws(in), workers, layer, head);
    }

    /** Checks the inputs' shapes and values against the model; returns the tokens per sequence. */
    private int validate(ModelInputs in) {
        LongTensor ids = in.inputIds();
        int rank = head == Head.MULTIPLE_CHOICE ? 3 : 2;
        if (ids == null || ids.rank() != rank) {
            throw new LsgException("input_ids must have shape " + (rank == 3 ? "(batch, choices, tokens)" : "(batch, tokens)")
                    + " for " + architecture() + ", found " + (ids == null ? "none" : ids.shapeString()));
        }
        int t = ids.dim(-1);
        if (t == 0 || ids.data().length == 0) {
            throw new LsgException("input_ids is empty: shape " + ids.shapeString());
        }
        checkRange(ids, "input_ids", config.vocabSize(), "vocab_size");
        checkSameShape(in.attentionMask(), ids, "attention_mask");
        checkRange(in.attentionMask(), "attention_mask", 2, null);
        if (in.tokenTypeIds() != null && config.typeVocabSize() == 0) {
            throw new LsgException("token_type_ids given, but " + architecture() + " has no token type embeddings");
        }
        checkSameShape(in.tokenTypeIds(), ids, "token_type_ids");
        checkRange(in.tokenTypeIds(), "token_type_ids", config.typeVocabSize(), "type_vocab_size");
        checkSize(ids.data().length / t, LsgGeometry.of(config, t));
        return t;
    }

    /**
     * Refuses a batch whose activations cannot exist: more values than an array holds, or more
     * bytes for even a few copies of the hidden states than the JVM may ever allocate. A file of a
     * few MB of input_ids can ask for a batch of 100,000 rows; this says so in one line rather than
     * running out of memory mid-way.
     */
    private void checkSize(int n, LsgGeometry geometry) {
        long values = (long) n * geometry.rows() * Math.max(config.hiddenSize(), config.embeddingSize());
        long bytes = values * Float.BYTES * ACTIVATION_COPIES;
        if (values > Integer.MAX_VALUE - 8 || bytes > Runtime.getRuntime().maxMemory()) {
            throw new LsgException("a batch of " + n + " x " + geometry.tokens() + " tokens (" + geometry.rows()
                    + " rows each) has " + values + " hidden values: at least " + bytes / (1 << 20) + " MB of activations,"
                    + " more than " + (values > Integer.MAX_VALUE - 8 ? "one array holds" : "the JVM's heap of "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB") + "; run fewer sequences at a time");
        }
    }

    /** The forward pass; with a {@code pass}, everything its backward pass reads is kept in it. */
    /** The hidden-state-sized buffers a forward pass holds at least (input, output, query, key, value, context). */
    private static final int ACTIVATION_COPIES = 4;

    ModelOutputs run(ModelInputs in, Workers workers, Pass pass) {
        return run(in, workers, pass, true);
    }

    private ModelOutputs run(ModelInputs in, Workers workers, Pass pass, boolean withHead) {
        LongTensor ids = in.inputIds();
        int t = validate(in);
        int n = ids.data().length / t;

        LsgEncoder.Encoded e = encoder.forward(ids.data(), data(in.attentionMask()), data(in.tokenTypeIds()),
                n, t, in.outputHiddenStates(), draws(in), workers, pass == null ? null : pass.encoder);
        if (pass != null) {
            pass.encoded = e;
        }

        Map<String, FloatTensor> out = new LinkedHashMap<>();
        int d = config.hiddenSize();
        if (taskHead == null || !withHead) {
            out.put("last_hidden_state", new FloatTensor(new int[]{n, t, d}, e.lastHiddenState()));
            if (e.pooled() != null) {
                out.put("pooler_output", new FloatTensor(new int[]{n, d}, e.pooled()));
            }
        } else {
            taskHead.forward(e, in, workers, out, pass == null ? null : pass.head);
        }
        for (int i = 0; i < e.hiddenStates().size(); i++) {
            out.put("hidden_states." + i, new FloatTensor(new int[]{n, e.geometry().rows(), d}, e.hiddenStates().get(i)));
        }
        out.forEach(LsgModel::requireFinite);
        return new ModelOutputs(out);
    }

    /**
     * A NaN or infinity in an output is reported rather than printed as a score: the weights are
     * checked finite at load, so it comes from values that overflow float32 (weights or inputs
     * too large for the model's arithmetic).
     */
    private static void requireFinite(String name, FloatTensor t) {
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new LsgException("the forward pass gave " + v[i] + " in " + name + " at flat index " + i
                        + " (shape " + t.shapeString() + "): the weights' values overflow float32 arithmetic");
            }
        }
    }

    /** This pass's own sequence of lsh draws: the inputs', or lsg4j's default seed 0. */
    private static LshDraws.Sequence draws(ModelInputs in) {
        return (in.lshDraws() == null ? LshDraws.seeded(0) : in.lshDraws()).open();
    }

    private static long[] data(LongTensor t) {
        return t == null ? null : t.data();
    }

    private static void checkSameShape(LongTensor t, LongTensor ids, String name) {
        if (t != null && !Arrays.equals(t.shape(), ids.shape())) {
            throw new LsgException(name + " has shape " + t.shapeString() + ", expected " + ids.shapeString()
                    + " (the shape of input_ids)");
        }
    }

    private static void checkRange(LongTensor t, String name, int limit, String configKey) {
        if (t == null) {
            return;
        }
        long[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= limit) {
                throw new LsgException(name + " holds " + v[i] + " at flat index " + i + ": expected "
                        + (configKey == null ? "0 or 1" : "a value in [0, " + limit + ") (" + configKey + ")"));
            }
        }
    }
}
