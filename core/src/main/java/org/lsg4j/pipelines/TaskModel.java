package org.lsg4j.pipelines;

import org.lsg4j.LsgException;
import org.lsg4j.hub.Hub;
import org.lsg4j.hub.ProgressListener;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.Architecture;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.LsgModel;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model and its tokenizer, loaded from one folder: what every pipeline runs. Immutable and safe
 * to share between threads; one instance serves every task its head allows (the embedding and
 * feature-extraction pipelines read its encoder whatever the head).
 *
 * <p>Its forward passes run on {@link #workers()}: the common fork/join pool unless
 * {@link #withWorkers} or {@link #withThreads} says otherwise. {@link #close()} stops the pool
 * {@link #withThreads} made for it, and nothing else, so try-with-resources suits every instance.
 */
public final class TaskModel implements AutoCloseable {
    private final LsgModel model;
    private final Tokenizer tokenizer;
    private final Workers workers;
    private final boolean ownsWorkers;
    private final Optional<SentenceTransformersConfig> sentenceTransformers;

    /** A model and tokenizer whose forward passes run on the common fork/join pool, without sentence-transformers modules. */
    public TaskModel(LsgModel model, Tokenizer tokenizer) {
        this(model, tokenizer, Workers.common(), false, Optional.empty());
    }

    private TaskModel(LsgModel model, Tokenizer tokenizer, Workers workers, boolean ownsWorkers,
                      Optional<SentenceTransformersConfig> sentenceTransformers) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.ownsWorkers = ownsWorkers;
        this.sentenceTransformers = sentenceTransformers;
    }

    public LsgModel model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The workers its kernels run on. */
    public Workers workers() {
        return workers;
    }

    /**
     * The folder's sentence-transformers modules, which say how its sentence embeddings are made
     * (see {@link #sentenceEmbedding()}); empty for a folder without them.
     */
    public Optional<SentenceTransformersConfig> sentenceTransformers() {
        return sentenceTransformers;
    }

    /**
     * The same model and tokenizer, run on {@code threads} (e.g. a command's --threads), which the
     * caller keeps and closes: closing the returned model leaves them running.
     */
    public TaskModel withWorkers(Workers threads) {
        return new TaskModel(model, tokenizer, threads, false, sentenceTransformers);
    }

    /**
     * The same model and tokenizer, run on a pool of {@code n} workers of its own (the calling thread
     * and {@code n - 1} more), which {@link #close()} stops. The weights are shared, not copied.
     */
    public TaskModel withThreads(int n) {
        return new TaskModel(model, tokenizer, Workers.create(n), true, sentenceTransformers);
    }

    /** The same model, embedding as {@code modules} say. */
    public TaskModel withSentenceTransformers(SentenceTransformersConfig modules) {
        return new TaskModel(model, tokenizer, workers, ownsWorkers, Optional.of(modules));
    }

    /** Stops the pool {@link #withThreads} made for this instance; otherwise does nothing. Idempotent. */
    @Override
    public void close() {
        if (ownsWorkers) {
            workers.close();
        }
    }

    @Override
    public String toString() {
        return "TaskModel[" + model + ", " + tokenizer + ", " + workers.count() + " workers"
                + sentenceTransformers.map(st -> ", sentence-transformers " + st.pooling().name().toLowerCase(Locale.ROOT)
                + (st.normalize() ? " pooling, normalised" : " pooling")).orElse("") + "]";
    }

    /**
     * How this model's sentence embeddings are made when the caller does not say: as its
     * sentence-transformers modules say, else {@link EmbeddingOptions#defaults()} (mean pooling, not
     * normalised).
     */
    public EmbeddingOptions sentenceEmbedding() {
        return sentenceTransformers.map(st -> st.options(maxTokens())).orElse(EmbeddingOptions.defaults());
    }

    /**
     * Loads the model with the given head and its tokenizer from a model folder.
     *
     * @throws LsgException when the folder is missing or malformed, when it holds a plain (not LSG)
     *     checkpoint, or when config.json names an architecture with another head (the base model
     *     can be read from any checkpoint)
     */
    public static TaskModel load(Path dir, Head head) {
        return load(dir, head, Map.of());
    }

    /** Loads the model with config keys overridden, as {@code from_pretrained(dir, key=value)} does. */
    public static TaskModel load(Path dir, Head head, Map<String, String> overrides) {
        LsgConfig config = LsgConfig.load(dir.resolve("config.json"), overrides);
        requireLsg(config, dir);
        requireHead(config, head, dir);
        return new TaskModel(LsgModel.load(dir, head, overrides), Tokenizer.load(dir), Workers.common(), false,
                SentenceTransformersConfig.read(dir, config.hiddenSize()));
    }

    /**
     * Loads a model from a folder or a Hub id ({@code org/name[@revision]}), resolved through the
     * given hub: from its cache, downloading what is missing unless offline.
     */
    public static TaskModel load(String folderOrHubId, Head head, Hub hub, ProgressListener progress) {
        return load(hub.resolve(folderOrHubId, progress), head);
    }

    private static void requireLsg(LsgConfig config, Path dir) {
        if (!config.lsg()) {
            throw new LsgException(dir.resolve("config.json") + ": " + config.architecture().className()
                    + " is a plain checkpoint (no LSG attention, " + config.maxTokens()
                    + " tokens at most); convert it first: lsg convert --model " + dir + " --output DIR --max-length 4096");
        }
    }

    private static void requireHead(LsgConfig config, Head head, Path dir) {
        if (head == Head.BASE || config.architectures().isEmpty()) {
            return;
        }
        Architecture found = config.architecture();
        if (found.head() != head) {
            String wanted = config.family().className(head, true);
            throw new LsgException(dir.resolve("config.json") + ": the checkpoint is a " + found.className()
                    + " (config.json architectures), it has no " + wanted + " head; this task needs a "
                    + wanted + " checkpoint");
        }
    }

    /**
     * The most positions one input may have, special tokens included: what the position table
     * holds (see {@link LsgConfig#maxTokens()}), capped by the tokenizer's model_max_length.
     */
    public int maxTokens() {
        return Math.min(model.config().maxTokens(), tokenizer.modelMaxLength());
    }

    /**
     * Runs encodings as one batch, padded as {@link #inputs} pads them.
     *
     * @param hiddenStates also return hidden_states.K (global tokens and LSG padding included)
     */
    public ModelOutputs run(List<Encoding> batch, boolean hiddenStates) {
        return run(inputs(batch).withHiddenStates(hiddenStates));
    }

    /** Runs prepared inputs on this model's workers. */
    public ModelOutputs run(ModelInputs in) {
        return model.forward(in, workers);
    }

    /** Runs the encoder alone on this model's workers (see {@link LsgModel#forwardEncoder}). */
    public ModelOutputs runEncoder(ModelInputs in) {
        return model.forwardEncoder(in, workers);
    }

    /**
     * The model inputs of a batch: input_ids, attention_mask and, for a model with token type
     * embeddings, the tokenizer's token_type_ids (BERT's pairs: 0 for the first text, 1 for the
     * second); shorter encodings right-padded to the longest with the tokenizer's pad id, mask 0
     * and type 0, as the Hugging Face pipelines pad a batch.
     */
    public ModelInputs inputs(List<Encoding> batch) {
        int n = batch.size();
        int t = paddedLength(batch);
        long[] ids = new long[n * t];
        long[] mask = new long[n * t];
        long[] types = new long[n * t];
        Arrays.fill(ids, tokenizer.padId());
        for (int r = 0; r < n; r++) {
            Encoding e = batch.get(r);
            int[] m = e.attentionMask();
            for (int i = 0; i < e.length(); i++) {
                ids[r * t + i] = e.id(i);
                mask[r * t + i] = m[i];
                types[r * t + i] = e.typeId(i);
            }
        }
        int[] shape = {n, t};
        ModelInputs in = ModelInputs.of(new LongTensor(shape, ids)).withAttentionMask(new LongTensor(shape, mask));
        return model.config().typeVocabSize() > 0 ? in.withTokenTypeIds(new LongTensor(shape, types)) : in;
    }

    /** The length a batch is padded to: its longest encoding. */
    public static int paddedLength(List<Encoding> batch) {
        return batch.stream().mapToInt(Encoding::length).max().orElseThrow();
    }
}
