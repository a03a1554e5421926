package org.lsg4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.io.InputFiles;
import org.lsg4j.io.Limits;
import org.lsg4j.io.StrictJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A model configuration: the encoder keys of config.json (spelled by the {@link Family}, read under
 * BERT's names here) plus the LSG keys, after the reference's validation (unknown sparsity types
 * become none, num_global_tokens is clamped to [1, 512], mask_first_token forces pool_with_global,
 * ...). A plain checkpoint ({@code lsg} false: no LSG keys, no LSG class name) has no global tokens
 * and full attention. Immutable; {@link #warnings()} holds what the validation reported.
 *
 * @param embeddingSize the width of the embedding tables (ELECTRA, ALBERT), hidden_size elsewhere
 * @param typeVocabSize 0 for a family without token types (DistilBERT)
 * @param bosTokenId    null when config.json has none
 * @param id2label      label names by class index, in index order; its size is num_labels
 * @param numHiddenGroups ALBERT's distinct layer groups (1 elsewhere)
 * @param innerGroupNum ALBERT's layers per group (1 elsewhere)
 * @param summaryActivation ELECTRA's sequence summary activation (multiple choice); identity when
 *                      config.json has null or "", as SequenceSummary then applies none
 * @param summaryFirstProjected whether the sequence summary is the one lsg4j runs: the first token
 *                      (summary_type "first") through its projection (summary_use_proj true)
 * @param initializerRange the standard deviation weights are drawn with when a head is newly initialized
 * @param lsg           whether the checkpoint is an LSG model
 */
public record LsgConfig(
        Family family,
        int vocabSize,
        int hiddenSize,
        int embeddingSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        Activation hiddenAct,
        double hiddenDropoutProb,
        double attentionProbsDropoutProb,
        int maxPositionEmbeddings,
        int typeVocabSize,
        double layerNormEps,
        int padTokenId,
        Integer bosTokenId,
        String positionEmbeddingType,
        List<String> id2label,
        String problemType,
        List<String> architectures,
        int numHiddenGroups,
        int innerGroupNum,
        Activation summaryActivation,
        boolean summaryFirstProjected,
        double initializerRange,
        boolean lsg,
        boolean adaptive,
        int blockSize,
        int sparseBlockSize,
        int sparsityFactor,
        SparsityType sparsityType,
        int numGlobalTokens,
        boolean maskFirstToken,
        boolean poolWithGlobal,
        int lshNumPreRounds,
        List<String> warnings) {

    /** Rows of the global embedding table in every LSG checkpoint. */
    public static final int GLOBAL_EMBEDDING_ROWS = 512;

    /** The LSG keys of config.json, with the reference's defaults. */
    public static final Map<String, Object> LSG_DEFAULTS = Map.of("adaptive", true, "block_size", 128,
            "sparse_block_size", 128, "sparsity_factor", 2, "sparsity_type", "norm", "num_global_tokens", 1,
            "mask_first_token", false, "pool_with_global", true, "lsh_num_pre_rounds", 1);

    /** Keys any config may carry that are not encoder dimensions. */
    private static final Set<String> COMMON_KEYS = Set.of("architectures", "id2label", "label2id", "num_labels",
            "problem_type", "is_decoder", "model_type", "auto_map", "base_model_prefix", "torch_dtype");

    /**
     * The largest sizes lsg4j accepts, far above any published checkpoint (BERT-large: hidden 1024,
     * 24 layers, intermediate 4096; XLM-R: vocab 250,002) and small enough that no weight,
     * activation or position computed from them overflows an int: a config from the internet is
     * checked against them before anything of its sizes is allocated.
     */
    static final int MAX_WIDTH = 1 << 15;
    static final int MAX_INTERMEDIATE = 1 << 17;
    static final int MAX_LAYERS = 1 << 10;
    static final int MAX_GROUP_LAYERS = 64;
    static final int MAX_VOCAB = Limits.VOCABULARY;
    static final int MAX_POSITIONS = 1 << 20;
    static final int MAX_BLOCK = 1 << 16;
    static final int MAX_LABELS = 1 << 16;
    /** The most elements of a Java array. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final ObjectMapper JSON = new ObjectMapper();

    public LsgConfig {
        id2label = List.copyOf(id2label);
        architectures = List.copyOf(architectures);
        warnings = List.copyOf(warnings);
    }

    public int numLabels() {
        return id2label.size();
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** True when the sparse keys take part in attention on the long path. */
    public boolean hasSparseKeys() {
        return lsg && sparseBlockSize > 0 && sparsityFactor > 0 && sparsityType != SparsityType.NONE;
    }

    /**
     * Writes back into a config.json object the values this config keeps after its validation,
     * as the reference's config class saves them: num_global_tokens clamped, pool_with_global
     * forced by mask_first_token, an unknown sparsity_type as null.
     */
    public void writeValidated(ObjectNode json) {
        json.put("num_global_tokens", numGlobalTokens);
        json.put("pool_with_global", poolWithGlobal);
        if (json.path("sparsity_type").isTextual() && SparsityType.fromConfigName(json.get("sparsity_type").textValue()) == null) {
            json.putNull("sparsity_type");
        }
    }

    /** The architecture config.json names first, or the family's base model when it names none. */
    public Architecture architecture() {
        return architectures.isEmpty() ? new Architecture(family, Head.BASE, Head.BASE.suffix(), lsg)
                : Architecture.parse(architectures.get(0), family);
    }

    /**
     * The most positions one input may have, special tokens included: the position table's rows
     * after the rows RoBERTa-style families reserve for padding.
     */
    public int maxTokens() {
        return family.embeddings().positionIds() == Family.PositionIds.PADDING_OFFSET
                ? maxPositionEmbeddings - padTokenId - 1 : maxPositionEmbeddings;
    }

    /** Reads and validates config.json. */
    public static LsgConfig load(Path configJson) {
        return load(configJson, Map.of());
    }

    /**
     * Reads config.json with keys overridden as {@code from_pretrained(..., key=value)} does, then
     * validates the result by the same rules.
     *
     * @param overrides config key (as the family spells it) to a JSON value ({@code 64}, {@code true},
     *                  {@code "none"}, {@code null}); a value that is not JSON is taken as a string
     */
    public static LsgConfig load(Path configJson, Map<String, String> overrides) {
        if (!Files.exists(configJson)) {
            throw new LsgException(configJson + ": file not found (a model folder needs config.json)");
        }
        JsonNode root = InputFiles.readJson(configJson, Limits.CONFIG_BYTES, "config.json");
        if (overrides.isEmpty()) {
            return fromJson(root, configJson.toString());
        }
        return fromJson(withOverrides(root, overrides, configJson.toString()),
                configJson + " with --config " + String.join(", ", new TreeMap<>(overrides).keySet()));
    }

    /**
     * A copy of a config object with keys replaced. A key must be one config.json has or one the
     * family reads, so that a misspelt override is an error rather than silently unused.
     */
    public static ObjectNode withOverrides(JsonNode root, Map<String, String> overrides, String source) {
        if (root == null || !root.isObject()) {
            throw new LsgException(source + ": expected a JSON object");
        }
        ObjectNode copy = ((ObjectNode) root).deepCopy();
        Family family = familyOf(copy, source);
        for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
            String key = e.getKey();
            if (!copy.has(key) && !knownKey(family, key)) {
                throw new LsgException("--config " + key + ": not a key of " + source + " nor one a "
                        + family.modelType() + " LSG config reads (LSG keys: "
                        + String.join(", ", new java.util.TreeSet<>(LSG_DEFAULTS.keySet())) + ")");
            }
            copy.set(key, parseValue(e.getValue()));
        }
        return copy;
    }

    private static boolean knownKey(Family family, String key) {
        return LSG_DEFAULTS.containsKey(key) || COMMON_KEYS.contains(key)
                || family.defaults().keySet().stream().anyMatch(k -> family.key(k).equals(key));
    }

    private static JsonNode parseValue(String value) {
        try {
            return StrictJson.parse(value, "--config");
        } catch (LsgException e) {
            return JSON.getNodeFactory().textNode(value);   // not JSON: a plain string such as none or block_stride
        }
    }

    /** The family config.json names by model_type (or, without it, by its architecture's class name). */
    static Family familyOf(JsonNode root, String source) {
        JsonNode type = root.get("model_type");
        if (type != null && type.isTextual()) {
            Family f = Family.ofModelType(type.textValue());
            if (f == null) {
                throw new LsgException(source + ": model_type \"" + type.textValue() + "\" is not a family lsg4j runs;"
                        + " supported: " + String.join(", ", Family.all().stream().map(Family::modelType).toList()));
            }
            return f;
        }
        JsonNode arch = root.path("architectures").path(0);
        if (arch.isTextual()) {
            return Architecture.parse(arch.textValue(), null).family();
        }
        return RobertaFamily.FAMILY;
    }

    /** Whether a config is an LSG model's: an LSG class name, LSG keys, or the converter's base_model_prefix. */
    private static boolean isLsg(JsonNode root) {
        JsonNode arch = root.path("architectures").path(0);
        return arch.isTextual() && arch.textValue().startsWith("LSG") || root.has("block_size")
                || root.has("sparsity_type") || root.has("num_global_tokens")
                || "lsg".equals(root.path("base_model_prefix").asText(null));
    }

    /**
     * Builds a config from a JSON object as config.json holds it (missing keys take the family's and
     * LSG's defaults) and validates it as the reference does. {@code source} names it in errors.
     */
    public static LsgConfig fromJson(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new LsgException(source + ": expected a JSON object");
        }
        Family family = familyOf(root, source);
        Keys k = new Keys((ObjectNode) root, source, family);
        List<String> warnings = new ArrayList<>();

        int heads = k.positiveInt("num_attention_heads", MAX_WIDTH);
        int hidden = k.positiveInt("hidden_size", MAX_WIDTH);
        if (hidden % heads != 0) {
            throw new LsgException(source + ": " + family.key("hidden_size") + " " + hidden + " is not a multiple of "
                    + family.key("num_attention_heads") + " " + heads);
        }
        Activation act = Activation.fromConfig(k.string("hidden_act"), source + ": " + family.key("hidden_act"));
        if (k.bool("is_decoder", false)) {
            throw new LsgException(source + ": is_decoder=true (causal LSG attention) is not supported;"
                    + " lsg4j runs the bidirectional encoder");
        }
        int layers = k.positiveInt("num_hidden_layers", MAX_LAYERS);
        int groups = k.positiveInt("num_hidden_groups", MAX_LAYERS);
        if (groups > layers) {
            throw new LsgException(source + ": num_hidden_groups " + groups + " is more than num_hidden_layers " + layers);
        }
        int inner = k.positiveInt("inner_group_num", MAX_GROUP_LAYERS);
        if (inner > layers / groups) {
            // each group application reads num_hidden_layers // num_hidden_groups head-mask entries, one per inner layer
            throw new LsgException(source + ": inner_group_num " + inner + " is more than num_hidden_layers / "
                    + "num_hidden_groups = " + layers + " / " + groups + " rounded down; the reference fails on such"
                    + " a model (IndexError: each group has only " + layers / groups + " head-mask entries)");
        }
        String positionType = k.string("position_embedding_type");
        boolean lsg = isLsg(root);
        if (!"absolute".equals(positionType)) {
            warnings.add("position_embedding_type \"" + LsgException.excerpt(positionType) + "\" is not compatible with"
                    + " LSG attention: position embeddings are skipped, as the reference does");
        }

        String sparsityName = k.nullableString("sparsity_type", "norm");
        SparsityType sparsity = sparsityName == null ? SparsityType.NONE : SparsityType.fromConfigName(sparsityName);
        if (sparsity == null) {
            warnings.add("sparsity_type \"" + LsgException.excerpt(sparsityName) + "\" is not one of none, norm, lsh,"
                    + " pooling, stride, block_stride, bos_pooling; using none (no sparse attention), as the reference does");
            sparsity = SparsityType.NONE;
        }
        int block = k.positiveInt("block_size", 128, MAX_BLOCK);
        int factor = k.nonNegativeInt("sparsity_factor", 2, MAX_BLOCK);
        if ((sparsity == SparsityType.STRIDE || sparsity == SparsityType.BLOCK_STRIDE) && factor > heads) {
            warnings.add("sparsity_factor " + factor + " > " + family.key("num_attention_heads") + " " + heads
                    + " is not recommended for " + sparsity.configName() + " sparsity");
        }
        int globals = k.integer("num_global_tokens", 1);
        if (globals < 1) {
            warnings.add("num_global_tokens " + globals + " < 1 is not compatible; using 1");
            globals = 1;
        } else if (globals > GLOBAL_EMBEDDING_ROWS) {
            warnings.add("num_global_tokens " + globals + " > 512 is not allowed; using 512");
            globals = GLOBAL_EMBEDDING_ROWS;
        }
        if (factor > 0 && block % factor != 0) {
            throw new LsgException(source + ": block_size " + block
                    + " must be divisible by sparsity_factor " + factor);
        }
        boolean maskFirst = k.bool("mask_first_token", false);
        boolean poolWithGlobal = k.bool("pool_with_global", true);
        if (maskFirst && !poolWithGlobal) {
            warnings.add("pool_with_global=false is not compatible with mask_first_token=true; using pool_with_global=true");
            poolWithGlobal = true;
        }
        if (!lsg) {
            warnings.clear();
        }
        int embeddingSize = family.embeddings().projection() == Family.Projection.NONE ? hidden
                : k.positiveInt("embedding_size", MAX_WIDTH);
        int vocab = k.positiveInt("vocab_size", MAX_VOCAB);
        int intermediate = k.positiveInt("intermediate_size", MAX_INTERMEDIATE);
        int positions = k.positiveInt("max_position_embeddings", MAX_POSITIONS);
        int types = family.embeddings().tokenTypes() ? k.positiveInt("type_vocab_size", MAX_LABELS) : 0;
        int pad = k.nonNegativeInt("pad_token_id", vocab - 1);
        Integer bos = k.nullableInteger("bos_token_id", vocab - 1);
        List<String> labels = k.labels();
        k.fitsArray("vocab_size", vocab, "embedding_size", embeddingSize);
        k.fitsArray("max_position_embeddings", positions, "embedding_size", embeddingSize);
        k.fitsArray("hidden_size", hidden, "intermediate_size", intermediate);
        if (family.embeddings().positionIds() == Family.PositionIds.PADDING_OFFSET && positions <= pad + 1) {
            throw new LsgException(source + ": " + family.key("max_position_embeddings") + " " + positions
                    + " leaves no position for tokens: positions start after pad_token_id + 1 = " + (pad + 1));
        }

        return new LsgConfig(
                family,
                vocab,
                hidden,
                embeddingSize,
                layers,
                heads,
                intermediate,
                act,
                k.probability("hidden_dropout_prob"),
                k.probability("attention_probs_dropout_prob"),
                positions,
                types,
                k.positiveNumber("layer_norm_eps"),
                pad,
                bos,
                positionType,
                labels,
                k.nullableString("problem_type", null),
                k.stringList("architectures"),
                groups,
                inner,
                k.summaryActivation(),
                "first".equals(k.nullableString("summary_type", "first")) && k.bool("summary_use_proj", true),
                k.positiveNumber("initializer_range"),
                lsg,
                lsg && k.bool("adaptive", true),
                block,
                k.nonNegativeInt("sparse_block_size", 128, MAX_BLOCK),
                factor,
                sparsity,
                lsg ? globals : 0,
                lsg && maskFirst,
                lsg && poolWithGlobal,
                k.nonNegativeInt("lsh_num_pre_rounds", 1, MAX_GROUP_LAYERS),
                warnings);
    }

    /**
     * Typed access to the keys of one config object, with errors naming the file and the key. Encoder
     * keys are asked for by their BERT names and read under the family's spelling, falling back to
     * the family's default; a key the family spells as "" is never read.
     */
    private record Keys(ObjectNode root, String source, Family family) {

        private LsgException wrong(String key, String expected, JsonNode found) {
            return new LsgException(source + ": key \"" + key + "\" must be " + expected + ", found " + StrictJson.kind(found));
        }

        /** An encoder key (BERT name) under the family's spelling; the family's default when absent. */
        private JsonNode node(String canonical) {
            String key = family.key(canonical);
            JsonNode v = key.isEmpty() ? null : root.get(key);
            if (v == null) {
                Object d = family.defaults().get(canonical);
                return d == null ? null : JSON.valueToTree(d);
            }
            return v;
        }

        /** An LSG or common key; {@code dflt} when absent. */
        private JsonNode node(String key, Object dflt) {
            JsonNode v = root.get(key);
            return v == null ? (dflt == null ? null : JSON.valueToTree(dflt)) : v;
        }

        private String name(String canonical) {
            String key = family.key(canonical);
            return key.isEmpty() ? canonical : key;
        }

        private JsonNode required(String canonical) {
            JsonNode v = node(canonical);
            if (v == null) {
                throw new LsgException(source + ": missing key \"" + name(canonical) + "\" (" + family.modelType()
                        + " configs need it)");
            }
            return v;
        }

        private int toInt(String key, JsonNode v, int min, int max) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
                boolean tooLarge = v.isIntegralNumber() && (!v.canConvertToLong() || v.longValue() > max);
                String bound = !tooLarge || max == Integer.MAX_VALUE ? ""
                        : key.endsWith("token_id") ? " (ids are below vocab_size)" : " (" + max + " is the most lsg4j accepts)";
                String kind = min == 1 ? "a positive integer" : min == 0 ? "an integer >= 0" : "an integer";
                throw wrong(key, kind + (max < Integer.MAX_VALUE ? " <= " + max : "") + bound, v);
            }
            return v.intValue();
        }

        /** An encoder key (BERT name) that must be an integer in [1, max]. */
        int positiveInt(String canonical, int max) {
            return toInt(name(canonical), required(canonical), 1, max);
        }

        /** An encoder key (BERT name) that must be an integer in [0, max]. */
        int nonNegativeInt(String canonical, int max) {
            return toInt(name(canonical), required(canonical), 0, max);
        }

        /** An encoder key (BERT name) that may be null or absent, else an integer in [0, max]. */
        Integer nullableInteger(String canonical, int max) {
            JsonNode v = node(canonical);
            return v == null || v.isNull() ? null : toInt(name(canonical), v, 0, max);
        }

        /** A probability p with 0 <= p < 1 (dropout: 1 would divide by zero). */
        double probability(String canonical) {
            JsonNode v = required(canonical);
            if (!v.isNumber() || !(v.doubleValue() >= 0 && v.doubleValue() < 1)) {
                throw wrong(name(canonical), "a number in [0, 1)", v);
            }
            return v.doubleValue();
        }

        /** A finite number > 0 (layer_norm_eps: 0 or less gives NaN on constant rows or everywhere). */
        double positiveNumber(String canonical) {
            JsonNode v = required(canonical);
            if (!v.isNumber() || !(v.doubleValue() > 0 && Double.isFinite(v.doubleValue()))) {
                throw wrong(name(canonical), "a finite number > 0", v);
            }
            return v.doubleValue();
        }

        String string(String canonical) {
            JsonNode v = required(canonical);
            if (!v.isTextual()) {
                throw wrong(name(canonical), "a string", v);
            }
            return v.textValue();
        }

        int integer(String key, int dflt) {
            return toInt(key, node(key, dflt), Integer.MIN_VALUE, Integer.MAX_VALUE);
        }

        int positiveInt(String key, int dflt, int max) {
            return toInt(key, node(key, dflt), 1, max);
        }

        int nonNegativeInt(String key, int dflt, int max) {
            return toInt(key, node(key, dflt), 0, max);
        }

        /** Fails unless a tensor of {@code a x b} values fits in a Java array. */
        void fitsArray(String aKey, int a, String bKey, int b) {
            if ((long) a * b > MAX_ARRAY) {
                throw new LsgException(source + ": " + name(aKey) + " " + a + " x " + name(bKey) + " " + b + " = "
                        + (long) a * b + " weights, more than one tensor can hold in lsg4j (" + MAX_ARRAY + ")");
            }
        }

        boolean bool(String key, boolean dflt) {
            JsonNode v = node(key, dflt);
            if (!v.isBoolean()) {
                throw wrong(key, "true or false", v);
            }
            return v.booleanValue();
        }

        String nullableString(String key, String dflt) {
            if (!root.has(key)) {
                return dflt;
            }
            JsonNode v = root.get(key);
            if (v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw wrong(key, "a string or null", v);
            }
            return v.textValue();
        }

        /** summary_activation: null or "" is no activation (SequenceSummary's Identity). */
        Activation summaryActivation() {
            String name = nullableString("summary_activation", (String) family.defaults().get("summary_activation"));
            return name == null || name.isEmpty() ? Activation.IDENTITY
                    : Activation.fromConfig(name, source + ": summary_activation");
        }

        List<String> stringList(String key) {
            JsonNode v = root.get(key);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw wrong(key, "a list of strings", v);
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw wrong(key, "a list of strings", v);
                }
                out.add(e.textValue());
            }
            return out;
        }

        /** id2label as a list indexed by class; num_labels (default 2) when id2label is absent. */
        List<String> labels() {
            JsonNode v = root.get("id2label");
            if (v == null || v.isNull()) {
                int n = positiveInt("num_labels", 2, MAX_LABELS);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    out.add("LABEL_" + i);
                }
                return out;
            }
            if (!v.isObject() || v.isEmpty() || v.size() > MAX_LABELS) {
                throw wrong("id2label", "a non-empty object mapping class indices to names (at most " + MAX_LABELS + ")", v);
            }
            Map<Integer, String> byId = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int id;
                try {
                    id = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    throw wrong("id2label", "keyed by class indices", v);
                }
                if (!e.getValue().isTextual()) {
                    throw wrong("id2label", "an object of label strings", v);
                }
                byId.put(id, e.getValue().textValue());
            }
            List<String> out = new ArrayList<>(byId.values());
            int expect = 0;
            for (int id : byId.keySet()) {
                if (id != expect++) {
                    throw wrong("id2label", "keyed 0..n-1 without gaps", v);
                }
            }
            return out;
        }
    }
}
