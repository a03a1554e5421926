package org.lsg4j.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.io.HfJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How a sentence-transformers model folder says its sentence embeddings are made, read from the files
 * the {@code sentence-transformers} library saves beside the Hugging Face checkpoint:
 *
 * <ul>
 * <li>{@code modules.json}: the modules applied in order, e.g. {@code Transformer} (path {@code ""}, the
 *     folder itself), {@code Pooling} (path {@code 1_Pooling}), {@code Normalize} (path {@code 2_Normalize});</li>
 * <li>the Pooling module's {@code config.json}: {@code word_embedding_dimension} and one
 *     {@code pooling_mode_*} flag set ({@code pooling_mode_mean_tokens}: the mean of the token outputs the
 *     attention mask keeps; {@code pooling_mode_cls_token}: the first token's output);</li>
 * <li>{@code sentence_bert_config.json}: {@code max_seq_length}, the tokens (special ones included) an input
 *     is truncated to, silently, and {@code do_lower_case}.</li>
 * </ul>
 *
 * A folder with these files gets its own embeddings from {@code lsg embed}, the server and the LangChain4j
 * adapter without options; {@code lsg convert} copies them, with {@code max_seq_length} set to the converted
 * length (an LSG model is made to read long documents). A module lsg4j does not compute (Dense, LayerNorm,
 * ...), or a pooling other than mean and cls, is refused: the vectors would differ from the library's.
 *
 * @param pooling      the Pooling module's mode
 * @param normalize    whether a Normalize module follows (unit L2 norm)
 * @param maxSeqLength sentence_bert_config.json's max_seq_length, or null when the file does not say
 */
public record SentenceTransformersConfig(Pooling pooling, boolean normalize, Integer maxSeqLength) {
    /** The file that makes a folder a sentence-transformers model. */
    public static final String MODULES = "modules.json";
    static final String SENTENCE_BERT_CONFIG = "sentence_bert_config.json";
    private static final String PACKAGE = "sentence_transformers.models.";
    private static final List<String> POOLING_MODES = List.of("pooling_mode_cls_token", "pooling_mode_mean_tokens",
            "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens",
            "pooling_mode_lasttoken");
    private static final ObjectMapper JSON = new ObjectMapper();

    public SentenceTransformersConfig {
        if (pooling != Pooling.MEAN && pooling != Pooling.CLS) {
            throw new IllegalArgumentException("sentence-transformers pooling is mean or cls, not " + pooling);
        }
        if (maxSeqLength != null && maxSeqLength < 2) {
            throw new IllegalArgumentException("max_seq_length must be at least 2, got " + maxSeqLength);
        }
    }

    /**
     * The configuration of a folder, or empty when it has no {@code modules.json} (a plain Hugging Face
     * checkpoint).
     *
     * @param hiddenSize the model's hidden size, which the Pooling module's word_embedding_dimension must equal
     * @throws LsgException naming the file and key when a file is malformed or names a module or pooling mode
     *     lsg4j does not compute
     */
    public static Optional<SentenceTransformersConfig> read(Path dir, int hiddenSize) {
        Path modulesFile = dir.resolve(MODULES);
        if (!Files.isRegularFile(modulesFile)) {
            return Optional.empty();
        }
        JsonNode modules = readJson(modulesFile);
        if (!modules.isArray() || modules.isEmpty()) {
            throw new LsgException(modulesFile + ": expected a JSON array of modules, found " + kind(modules));
        }
        Pooling pooling = null;
        boolean normalize = false;
        for (int i = 0; i < modules.size(); i++) {
            JsonNode m = modules.get(i);
            String type = m.path("type").asText("");
            String name = type.substring(type.lastIndexOf('.') + 1);
            String where = modulesFile + ": module " + i + " (" + type + ")";
            switch (name) {
                case "Transformer" -> {
                    if (i != 0 || !m.path("path").asText("").isEmpty()) {
                        throw new LsgException(where + ": expected the Transformer first, in the folder itself"
                                + " (path \"\"), found path \"" + m.path("path").asText("") + "\" at position " + i);
                    }
                }
                case "Pooling" -> {
                    if (pooling != null || normalize) {
                        throw new LsgException(where + ": expected one Pooling module, before Normalize");
                    }
                    pooling = poolingMode(dir.resolve(m.path("path").asText("")).resolve("config.json"), hiddenSize);
                }
                case "Normalize" -> {
                    if (pooling == null) {
                        throw new LsgException(where + ": expected Normalize after the Pooling module");
                    }
                    normalize = true;
                }
                default -> throw new LsgException(where + ": lsg4j computes the Transformer, Pooling and"
                        + " Normalize modules only; this model's embeddings need " + (type.isEmpty() ? "a module"
                        + " without a type" : name));
            }
        }
        if (pooling == null) {
            throw new LsgException(modulesFile + ": expected a Pooling module, found none");
        }
        return Optional.of(new SentenceTransformersConfig(pooling, normalize, maxSeqLength(dir)));
    }

    /**
     * The options this configuration embeds with on a model that takes {@code modelMaxTokens} positions:
     * its pooling and normalisation, and truncation to max_seq_length when that is shorter than the model
     * (otherwise inputs are truncated at the model's limit, with a warning).
     */
    public EmbeddingOptions options(int modelMaxTokens) {
        Integer maxLength = maxSeqLength != null && maxSeqLength < modelMaxTokens ? maxSeqLength : null;
        return EmbeddingOptions.defaults().withPooling(pooling).withNormalize(normalize).withMaxLength(maxLength);
    }

    /**
     * Writes the sentence-transformers files of this configuration into a model folder: modules.json,
     * {@code 1_Pooling/config.json} and sentence_bert_config.json (when max_seq_length is known), as the
     * library saves them.
     *
     * @param hiddenSize the model's hidden size, the Pooling module's word_embedding_dimension
     */
    public void write(Path dir, int hiddenSize) throws IOException {
        ArrayNode modules = JSON.createArrayNode();
        modules.add(module(0, "", "Transformer"));
        modules.add(module(1, "1_Pooling", "Pooling"));
        if (normalize) {
            modules.add(module(2, "2_Normalize", "Normalize"));
        }
        Files.writeString(dir.resolve(MODULES), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(modules) + "\n");
        ObjectNode poolingConfig = JSON.createObjectNode();
        poolingConfig.put("word_embedding_dimension", hiddenSize);
        for (String mode : POOLING_MODES) {
            poolingConfig.put(mode, mode.equals(modeKey(pooling)));
        }
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(poolingConfig) + "\n");
        if (maxSeqLength != null) {
            writeSentenceBertConfig(dir, maxSeqLength);
        }
    }

    /**
     * Copies the sentence-transformers files of {@code source} (modules.json, the module folders the
     * modules name, sentence_bert_config.json, config_sentence_transformers.json) into {@code target},
     * with max_seq_length set to {@code maxSeqLength}; copies nothing when the source has no modules.json.
     * What the converter does for the model folder it writes.
     */
    public static void copy(Path source, Path target, int maxSeqLength) throws IOException {
        Path modulesFile = source.resolve(MODULES);
        if (!Files.isRegularFile(modulesFile)) {
            return;
        }
        Files.copy(modulesFile, target.resolve(MODULES));
        for (JsonNode m : readJson(modulesFile)) {
            String path = m.path("path").asText("");
            Path from = source.resolve(path).normalize();
            if (!path.isEmpty() && from.startsWith(source.normalize()) && Files.isDirectory(from)) {
                copyTree(from, target.resolve(path));
            }
        }
        Path stConfig = source.resolve("config_sentence_transformers.json");
        if (Files.isRegularFile(stConfig)) {
            Files.copy(stConfig, target.resolve(stConfig.getFileName()));
        }
        writeSentenceBertConfig(target, maxSeqLength, source.resolve(SENTENCE_BERT_CONFIG));
    }

    private static void writeSentenceBertConfig(Path dir, int maxSeqLength) throws IOException {
        writeSentenceBertConfig(dir, maxSeqLength, null);
    }

    /** sentence_bert_config.json with max_seq_length set, the other keys of {@code from} kept. */
    private static void writeSentenceBertConfig(Path dir, int maxSeqLength, Path from) throws IOException {
        ObjectNode config = from != null && Files.isRegularFile(from) && readJson(from) instanceof ObjectNode o
                ? o : JSON.createObjectNode().put("do_lower_case", false);
        config.put("max_seq_length", maxSeqLength);
        Files.writeString(dir.resolve(SENTENCE_BERT_CONFIG), HfJson.write(config, false));
    }

    private static ObjectNode module(int idx, String path, String type) {
        ObjectNode m = JSON.createObjectNode();
        m.put("idx", idx);
        m.put("name", Integer.toString(idx));
        m.put("path", path);
        m.put("type", PACKAGE + type);
        return m;
    }

    private static String modeKey(Pooling pooling) {
        return pooling == Pooling.CLS ? "pooling_mode_cls_token" : "pooling_mode_mean_tokens";
    }

    /** The one pooling mode a Pooling config.json sets, when lsg4j computes it. */
    private static Pooling poolingMode(Path file, int hiddenSize) {
        JsonNode c = readJson(file);
        if (!c.path("word_embedding_dimension").canConvertToInt() || c.get("word_embedding_dimension").asInt() != hiddenSize) {
            throw new LsgException(file + ": word_embedding_dimension: expected the model's hidden size " + hiddenSize
                    + ", found " + c.path("word_embedding_dimension"));
        }
        List<String> set = new ArrayList<>();
        for (String mode : POOLING_MODES) {
            if (c.path(mode).asBoolean(false)) {
                set.add(mode);
            }
        }
        if (set.equals(List.of("pooling_mode_mean_tokens"))) {
            return Pooling.MEAN;
        }
        if (set.equals(List.of("pooling_mode_cls_token"))) {
            return Pooling.CLS;
        }
        throw new LsgException(file + ": expected one of pooling_mode_mean_tokens or pooling_mode_cls_token set,"
                + " found " + (set.isEmpty() ? "none" : String.join(" and ", set))
                + " (lsg4j pools with mean or cls only; pass --pooling to choose)");
    }

    private static Integer maxSeqLength(Path dir) {
        Path file = dir.resolve(SENTENCE_BERT_CONFIG);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode c = readJson(file);
        if (c.path("do_lower_case").asBoolean(false)) {
            throw new LsgException(file + ": do_lower_case: lsg4j does not lowercase texts before the tokenizer;"
                    + " expected false, found true");
        }
        JsonNode n = c.path("max_seq_length");
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.canConvertToInt() || n.asInt() < 2) {
            throw new LsgException(file + ": max_seq_length: expected an integer of at least 2, found " + n);
        }
        return n.asInt();
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LsgException(file + ": missing (the sentence-transformers modules need it)");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new LsgException(file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
    }

    private static String kind(JsonNode n) {
        return n.isArray() ? "an empty array" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
