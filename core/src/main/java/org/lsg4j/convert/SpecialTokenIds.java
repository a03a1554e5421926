package org.lsg4j.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.LsgException;
import org.lsg4j.model.Family;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The ids of the tokens a conversion reads, as {@code AutoTokenizer.from_pretrained(source)} gives
 * them: the token each role names (tokenizer_config.json, then special_tokens_map.json, then the
 * family's tokenizer default), looked up in the folder's vocabulary (added tokens, tokenizer.json,
 * vocab.json or vocab.txt).
 */
final class SpecialTokenIds {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Family family;
    private final JsonNode config;
    private final JsonNode specialMap;

    SpecialTokenIds(Path dir, Family family) {
        this.dir = dir;
        this.family = family;
        this.config = readIfPresent(dir.resolve("tokenizer_config.json"));
        this.specialMap = readIfPresent(dir.resolve("special_tokens_map.json"));
    }

    /** Whether the folder has tokenizer files at all. */
    boolean hasTokenizer() {
        for (String f : List.of("tokenizer.json", "vocab.json", "vocab.txt", "tokenizer_config.json")) {
            if (Files.isRegularFile(dir.resolve(f))) {
                return true;
            }
        }
        return false;
    }

    /** The id of the token of {@code role} ({@code bos_token}, {@code cls_token}, {@code mask_token}), or null. */
    Integer id(String role) {
        String token = token(role);
        return token == null ? null : lookup(token);
    }

    private String token(String role) {
        for (JsonNode source : new JsonNode[]{config, specialMap}) {
            JsonNode v = source.get(role);
            if (v != null && v.isTextual()) {
                return v.textValue();
            }
            if (v != null && v.path("content").isTextual()) {
                return v.path("content").textValue();
            }
            if (v != null && v.isNull()) {
                return null;
            }
        }
        return family.specialTokens().get(role);
    }

    private Integer lookup(String token) {
        for (var e : config.path("added_tokens_decoder").properties()) {
            if (token.equals(e.getValue().path("content").asText(null))) {
                return Integer.parseInt(e.getKey());
            }
        }
        JsonNode tokenizer = readIfPresent(dir.resolve("tokenizer.json"));
        for (JsonNode t : tokenizer.path("added_tokens")) {
            if (token.equals(t.path("content").asText(null))) {
                return t.path("id").asInt();
            }
        }
        JsonNode vocab = tokenizer.path("model").path("vocab");
        if (vocab.isObject() && vocab.has(token)) {
            return vocab.get(token).asInt();
        }
        if (vocab.isArray()) {   // Unigram: [[piece, score], ...]
            for (int i = 0; i < vocab.size(); i++) {
                if (token.equals(vocab.get(i).path(0).asText(null))) {
                    return i;
                }
            }
        }
        JsonNode vocabJson = readIfPresent(dir.resolve("vocab.json"));
        if (vocabJson.has(token)) {
            return vocabJson.get(token).asInt();
        }
        Path vocabTxt = dir.resolve("vocab.txt");
        if (Files.isRegularFile(vocabTxt)) {
            try {
                int i = Files.readAllLines(vocabTxt).indexOf(token);
                return i < 0 ? null : i;
            } catch (IOException e) {
                throw new LsgException(vocabTxt + ": cannot read: " + e.getMessage());
            }
        }
        return null;
    }

    private static JsonNode readIfPresent(Path file) {
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new LsgException(file + ": malformed JSON: " + e.getMessage());
        }
    }
}
