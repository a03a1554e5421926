package org.lsg4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lsg4j.LsgException;

/**
 * The tokenizer files of an imported BERT checkpoint, derived from a WordPiece {@code tokenizer.json}
 * (the Rust tokenizers' format, as sentence-transformers ships it): the file itself, copied byte for
 * byte, and what a Hugging Face BERT folder has beside it: {@code tokenizer_config.json} and
 * {@code special_tokens_map.json} with the keys and values the sentence-transformers repositories have,
 * and {@code vocab.txt} (one token per line, by id) for the slow {@code BertTokenizer}. Values that the
 * tokenizer fixes ({@code do_lower_case}, {@code tokenize_chinese_chars}, {@code strip_accents}) are read
 * from its {@code BertNormalizer}, not assumed.
 */
final class BertTokenizerFiles {
    /** The special tokens a BERT tokenizer_config.json names, with their config keys. */
    private static final Map<String, String> SPECIAL_TOKENS = orderedMap(
            "unk_token", "[UNK]", "sep_token", "[SEP]", "pad_token", "[PAD]", "cls_token", "[CLS]", "mask_token", "[MASK]");
    private static final JsonMapper JSON = new JsonMapper();

    private final Path source;
    private final String[] vocab;
    private final int idCount;
    private final int padTokenId;
    private final boolean lowercase;
    private final boolean chineseChars;
    private final JsonNode stripAccents;

    private BertTokenizerFiles(Path source, String[] vocab, int idCount, int padTokenId, boolean lowercase,
                               boolean chineseChars, JsonNode stripAccents) {
        this.source = source;
        this.vocab = vocab;
        this.idCount = idCount;
        this.padTokenId = padTokenId;
        this.lowercase = lowercase;
        this.chineseChars = chineseChars;
        this.stripAccents = stripAccents;
    }

    /**
     * Reads and checks a BERT {@code tokenizer.json}: a WordPiece model with ids 0..n-1, a
     * BertNormalizer, and the special tokens [UNK], [SEP], [PAD], [CLS], [MASK] in its vocabulary.
     */
    static BertTokenizerFiles read(Path tokenizerJson) {
        JsonNode root;
        try {
            root = JSON.readTree(tokenizerJson.toFile());
        } catch (IOException e) {
            throw new LsgException(tokenizerJson + ": cannot read tokenizer.json (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new LsgException(tokenizerJson + ": expected a JSON object, found " + (root == null ? "nothing" : root.getNodeType()));
        }
        JsonNode model = root.path("model");
        if (!model.path("type").asText().equals("WordPiece") || !model.path("vocab").isObject()) {
            throw new LsgException(tokenizerJson + ": model: expected a WordPiece model with a vocab, found type '"
                    + model.path("type").asText() + "'");
        }
        JsonNode normalizer = root.path("normalizer");
        if (!normalizer.path("type").asText().equals("BertNormalizer")) {
            throw new LsgException(tokenizerJson + ": normalizer: expected a BertNormalizer, found '"
                    + normalizer.path("type").asText() + "'");
        }
        String[] vocab = vocab(tokenizerJson, model.path("vocab"));
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < vocab.length; id++) {
            ids.put(vocab[id], id);
        }
        for (String token : SPECIAL_TOKENS.values()) {
            if (!ids.containsKey(token)) {
                throw new LsgException(tokenizerJson + ": expected the BERT special token " + token
                        + " in the vocabulary, found none");
            }
        }
        if (!model.path("unk_token").asText().equals("[UNK]")) {
            throw new LsgException(tokenizerJson + ": model.unk_token: expected [UNK], found '"
                    + model.path("unk_token").asText() + "'");
        }
        int idCount = vocab.length;
        for (JsonNode added : root.path("added_tokens")) {
            idCount = Math.max(idCount, added.path("id").asInt(0) + 1);
        }
        JsonNode strip = normalizer.path("strip_accents");
        return new BertTokenizerFiles(tokenizerJson, vocab, idCount, ids.get("[PAD]"),
                normalizer.path("lowercase").asBoolean(true),
                normalizer.path("handle_chinese_chars").asBoolean(true), strip.isMissingNode() ? JSON.nullNode() : strip);
    }

    /** The vocabulary by id; every id from 0 to n-1 must appear exactly once. */
    private static String[] vocab(Path file, JsonNode vocab) {
        String[] tokens = new String[vocab.size()];
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            JsonNode id = e.getValue();
            if (!id.canConvertToInt() || !id.isIntegralNumber() || id.asInt() < 0 || id.asInt() >= tokens.length
                    || tokens[id.asInt()] != null) {
                throw new LsgException(file + ": model.vocab: token '" + e.getKey() + "' has id " + id
                        + ", expected each id from 0 to " + (tokens.length - 1) + " once");
            }
            tokens[id.asInt()] = e.getKey();
        }
        return tokens;
    }

    /** The number of ids the tokenizer can produce: its vocabulary and added tokens. */
    int idCount() {
        return idCount;
    }

    int padTokenId() {
        return padTokenId;
    }

    /** Writes tokenizer.json, tokenizer_config.json, special_tokens_map.json and vocab.txt into {@code dir}. */
    void writeTo(Path dir, int modelMaxLength) throws IOException {
        Files.copy(source, dir.resolve("tokenizer.json"));
        ObjectNode config = JSON.createObjectNode();
        config.put("do_lower_case", lowercase);
        SPECIAL_TOKENS.forEach(config::put);
        config.put("tokenize_chinese_chars", chineseChars);
        config.set("strip_accents", stripAccents);
        config.put("do_basic_tokenize", true);
        config.putNull("never_split");
        config.put("tokenizer_class", "BertTokenizer");
        config.put("model_max_length", modelMaxLength);
        Files.writeString(dir.resolve("tokenizer_config.json"), JSON.writeValueAsString(config));
        ObjectNode special = JSON.createObjectNode();
        SPECIAL_TOKENS.forEach(special::put);
        Files.writeString(dir.resolve("special_tokens_map.json"), JSON.writeValueAsString(special));
        Files.writeString(dir.resolve("vocab.txt"), String.join("\n", vocab) + "\n", StandardCharsets.UTF_8);
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
