package org.lsg4j.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An LSG-RoBERTa configuration: the RoBERTa keys of config.json plus the LSG keys, after the
 * reference's validation (unknown sparsity types become none, num_global_tokens is clamped to
 * [1, 512], mask_first_token forces pool_with_global, ...). Field names follow the config.json keys.
 * Immutable; {@link #warnings()} holds what the validation reported.
 *
 * @param id2label label names by class index, in index order; its size is num_labels
 */
public record LsgConfig(
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        String hiddenAct,
        double hiddenDropoutProb,
        double attentionProbsDropoutProb,
        int maxPositionEmbeddings,
        int typeVocabSize,
        double layerNormEps,
        int padTokenId,
        int bosTokenId,
        int eosTokenId,
        String positionEmbeddingType,
        List<String> id2label,
        String problemType,
        boolean isDecoder,
        List<String> architectures,
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
        return sparseBlockSize > 0 && sparsityFactor > 0 && sparsityType != SparsityType.NONE;
    }

    /** Reads and validates config.json. */
    public static LsgConfig load(Path configJson) {
        String text;
        try {
            text = Files.readString(configJson);
        } catch (NoSuchFileException e) {
            throw new LsgException(configJson + ": file not found (a model folder needs config.json)");
        } catch (IOException e) {
            throw new LsgException(configJson + ": cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new LsgException(configJson + ": malformed JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + ": " + e.getOriginalMessage());
        }
        return fromJson(root, configJson.toString());
    }

    /**
     * Builds a config from a JSON object as config.json holds it (missing keys take the RoBERTa
     * and LSG defaults) and validates it as the reference does. {@code source} names it in errors.
     */
    public static LsgConfig fromJson(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new LsgException(source + ": expected a JSON object");
        }
        Keys k = new Keys((ObjectNode) root, source);
        List<String> warnings = new ArrayList<>();

        int heads = k.positiveInt("num_attention_heads", 12);
        int hidden = k.positiveInt("hidden_size", 768);
        if (hidden % heads != 0) {
            throw new LsgException(source + ": hidden_size " + hidden
                    + " is not a multiple of num_attention_heads " + heads);
        }
        String act = k.string("hidden_act", "gelu");
        if (!"gelu".equals(act)) {
            throw new LsgException(source + ": hidden_act \"" + act
                    + "\" is not supported (LSG-RoBERTa uses \"gelu\", the exact erf form)");
        }
        if (k.bool("is_decoder", false)) {
            throw new LsgException(source + ": is_decoder=true (causal LSG attention) is not supported;"
                    + " lsg4j runs the bidirectional encoder");
        }

        String sparsityName = k.nullableString("sparsity_type", "norm");
        SparsityType sparsity = sparsityName == null ? SparsityType.NONE : SparsityType.fromConfigName(sparsityName);
        if (sparsity == null) {
            warnings.add("sparsity_type \"" + sparsityName + "\" is not one of none, norm, lsh, pooling,"
                    + " stride, block_stride, bos_pooling; using none (no sparse attention), as the reference does");
            sparsity = SparsityType.NONE;
        }
        int factor = k.nonNegativeInt("sparsity_factor", 2);
        if ((sparsity == SparsityType.STRIDE || sparsity == SparsityType.BLOCK_STRIDE) && factor > heads) {
            warnings.add("sparsity_factor " + factor + " > num_attention_heads " + heads
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
        int block = k.positiveInt("block_size", 128);
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
        String positionType = k.string("position_embedding_type", "absolute");
        if (!"absolute".equals(positionType)) {
            warnings.add("position_embedding_type \"" + positionType + "\" is not compatible with LSG attention:"
                    + " position embeddings are skipped, as the reference does");
        }

        return new LsgConfig(
                k.positiveInt("vocab_size", 50265),
                hidden,
                k.positiveInt("num_hidden_layers", 12),
                heads,
                k.positiveInt("intermediate_size", 3072),
                act,
                k.number("hidden_dropout_prob", 0.1),
                k.number("attention_probs_dropout_prob", 0.1),
                k.positiveInt("max_position_embeddings", 512),
                k.positiveInt("type_vocab_size", 2),
                k.number("layer_norm_eps", 1e-12),
                k.nonNegativeInt("pad_token_id", 1),
                k.integer("bos_token_id", 0),
                k.integer("eos_token_id", 2),
                positionType,
                k.labels(),
                k.nullableString("problem_type", null),
                false,
                k.stringList("architectures"),
                k.bool("adaptive", true),
                block,
                k.nonNegativeInt("sparse_block_size", 128),
                factor,
                sparsity,
                globals,
                maskFirst,
                poolWithGlobal,
                k.nonNegativeInt("lsh_num_pre_rounds", 1),
                warnings);
    }

    /** Typed access to the keys of one config object, with errors naming the file and the key. */
    private record Keys(ObjectNode root, String source) {

        private LsgException wrong(String key, String expected, JsonNode found) {
            return new LsgException(source + ": key \"" + key + "\" must be " + expected + ", found " + found);
        }

        int integer(String key, int dflt) {
            JsonNode v = root.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw wrong(key, "an integer", v);
            }
            return v.intValue();
        }

        int positiveInt(String key, int dflt) {
            int v = integer(key, dflt);
            if (v < 1) {
                throw wrong(key, "a positive integer", root.get(key));
            }
            return v;
        }

        int nonNegativeInt(String key, int dflt) {
            int v = integer(key, dflt);
            if (v < 0) {
                throw wrong(key, "an integer >= 0", root.get(key));
            }
            return v;
        }

        double number(String key, double dflt) {
            JsonNode v = root.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isNumber()) {
                throw wrong(key, "a number", v);
            }
            return v.doubleValue();
        }

        boolean bool(String key, boolean dflt) {
            JsonNode v = root.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
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

        String string(String key, String dflt) {
            String v = nullableString(key, dflt);
            return v == null ? dflt : v;
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
                int n = positiveInt("num_labels", 2);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    out.add("LABEL_" + i);
                }
                return out;
            }
            if (!v.isObject() || v.isEmpty()) {
                throw wrong("id2label", "a non-empty object mapping class indices to names", v);
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
