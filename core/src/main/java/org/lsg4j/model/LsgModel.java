package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.io.Checkpoint;
import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An LSG-RoBERTa model loaded from a checkpoint folder: config.json plus the weights
 * (model.safetensors, sharded safetensors or pytorch_model.bin). Immutable and safe to share
 * between threads; each {@link #forward} call is independent.
 */
public final class LsgModel {
    private final LsgConfig config;
    private final Head head;
    private final LsgRobertaModel roberta;
    private final TaskHead taskHead;   // null for the base model
    private final List<String> warnings;

    private LsgModel(LsgConfig config, Head head, LsgRobertaModel roberta, TaskHead taskHead, List<String> warnings) {
        this.config = config;
        this.head = head;
        this.roberta = roberta;
        this.taskHead = taskHead;
        this.warnings = List.copyOf(warnings);
    }

    /** Loads the folder with the head its config.json {@code architectures} names (the base model when absent). */
    public static LsgModel load(Path dir) {
        LsgConfig config = LsgConfig.load(requireFolder(dir).resolve("config.json"));
        return load(dir, config, headOf(config, dir));
    }

    /**
     * Loads the folder with the given head. The base model reads the encoder of any task
     * checkpoint; its pooler only when the checkpoint has one.
     */
    public static LsgModel load(Path dir, Head head) {
        return load(dir, LsgConfig.load(requireFolder(dir).resolve("config.json")), head);
    }

    /**
     * A model of the given shape with weights drawn from {@code seed} (see {@link RandomWeights}),
     * for benchmarks: the base model or the masked-LM head.
     */
    public static LsgModel random(LsgConfig config, Head head, long seed) {
        return build(new WeightReader(new RandomWeights(config, head, seed), "random weights"), config, head);
    }

    private static LsgModel load(Path dir, LsgConfig config, Head head) {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            return build(new WeightReader(checkpoint, dir.toString()), config, head);
        }
    }

    private static LsgModel build(WeightReader w, LsgConfig config, Head head) {
        String prefix = w.has("roberta.embeddings.word_embeddings.weight") ? "roberta." : "";
        boolean pooler = head == Head.BASE || head == Head.MULTIPLE_CHOICE;
        LsgRobertaModel roberta = new LsgRobertaModel(w, prefix, config, pooler, head == Head.BASE);
        TaskHead taskHead = switch (head) {
            case BASE -> null;
            case MASKED_LM -> new MaskedLmHead(w, config, roberta.wordEmbeddings());
            case SEQUENCE_CLASSIFICATION -> new SequenceClassificationHead(w, config);
            case TOKEN_CLASSIFICATION -> new TokenClassificationHead(w, config);
            case QUESTION_ANSWERING -> new QuestionAnsweringHead(w, config);
            case MULTIPLE_CHOICE -> new MultipleChoiceHead(w, config);
        };
        List<String> warnings = new ArrayList<>(config.warnings());
        List<String> unused = w.finish(LsgModel::ignorable);
        if (!unused.isEmpty() && head != Head.BASE) {
            warnings.add("checkpoint weights not used by " + head.className() + ": "
                    + String.join(", ", unused.subList(0, Math.min(8, unused.size())))
                    + (unused.size() > 8 ? ", ... (" + unused.size() + " in all)" : ""));
        }
        if (head == Head.BASE && !roberta.hasPooler()) {
            warnings.add("the checkpoint has no pooler weights: pooler_output is not computed");
        }
        return new LsgModel(config, head, roberta, taskHead, warnings);
    }

    private static Path requireFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LsgException(dir + ": no such model folder");
        }
        return dir;
    }

    private static Head headOf(LsgConfig config, Path dir) {
        if (config.architectures().isEmpty()) {
            return Head.BASE;
        }
        String name = config.architectures().get(0);
        Head h = Head.fromArchitecture(name);
        if (h == null) {
            throw new LsgException(dir.resolve("config.json") + ": architectures names \"" + name
                    + "\", which lsg4j does not run; supported: " + Head.supported());
        }
        return h;
    }

    /** Buffers and tied weights a checkpoint may hold that the model derives instead. */
    private static boolean ignorable(String key) {
        return key.endsWith("embeddings.position_ids") || key.endsWith("embeddings.token_type_ids")
                || key.equals("lm_head.decoder.weight") || key.equals("lm_head.decoder.bias");
    }

    public LsgConfig config() {
        return config;
    }

    public Head head() {
        return head;
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
        LongTensor ids = in.inputIds();
        int rank = head == Head.MULTIPLE_CHOICE ? 3 : 2;
        if (ids == null || ids.rank() != rank) {
            throw new LsgException("input_ids must have shape " + (rank == 3 ? "(batch, choices, tokens)" : "(batch, tokens)")
                    + " for " + head.className() + ", found " + (ids == null ? "none" : ids.shapeString()));
        }
        int t = ids.dim(-1);
        int n = ids.data().length / Math.max(1, t);
        if (t == 0 || ids.data().length == 0) {
            throw new LsgException("input_ids is empty: shape " + ids.shapeString());
        }
        checkRange(ids, "input_ids", config.vocabSize(), "vocab_size");
        checkSameShape(in.attentionMask(), ids, "attention_mask");
        checkRange(in.attentionMask(), "attention_mask", 2, null);
        checkSameShape(in.tokenTypeIds(), ids, "token_type_ids");
        checkRange(in.tokenTypeIds(), "token_type_ids", config.typeVocabSize(), "type_vocab_size");

        LshDraws draws = in.lshDraws() == null ? LshDraws.seeded(0) : in.lshDraws();
        LsgRobertaModel.Encoded e = roberta.forward(ids.data(), data(in.attentionMask()), data(in.tokenTypeIds()),
                n, t, in.outputHiddenStates(), draws, workers);

        Map<String, FloatTensor> out = new LinkedHashMap<>();
        int d = config.hiddenSize();
        if (taskHead == null) {
            out.put("last_hidden_state", new FloatTensor(new int[]{n, t, d}, e.lastHiddenState()));
            if (e.pooled() != null) {
                out.put("pooler_output", new FloatTensor(new int[]{n, d}, e.pooled()));
            }
        } else {
            taskHead.forward(e, in, workers, out);
        }
        for (int i = 0; i < e.hiddenStates().size(); i++) {
            out.put("hidden_states." + i, new FloatTensor(
                    new int[]{n, config.numGlobalTokens() + e.paddedLength(), d}, e.hiddenStates().get(i)));
        }
        return new ModelOutputs(out);
    }

    private static long[] data(LongTensor t) {
        return t == null ? null : t.data();
    }

    private static void checkSameShape(LongTensor t, LongTensor ids, String name) {
        if (t != null && !java.util.Arrays.equals(t.shape(), ids.shape())) {
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
