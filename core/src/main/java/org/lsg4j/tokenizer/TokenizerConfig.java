package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * The transformers-side settings of a model folder: tokenizer_config.json and
 * special_tokens_map.json (either may be missing). A special token may be written as a plain
 * string or as an object with {@code content} and the AddedToken flags.
 */
final class TokenizerConfig {
    static final String CONFIG_FILE = "tokenizer_config.json";
    static final String SPECIAL_MAP_FILE = "special_tokens_map.json";

    private final JsonNode config;
    private final JsonNode specialMap;
    private final Path configFile;

    private TokenizerConfig(JsonNode config, JsonNode specialMap, Path configFile) {
        this.config = config;
        this.specialMap = specialMap;
        this.configFile = configFile;
    }

    static TokenizerConfig read(Path dir) {
        return new TokenizerConfig(JsonFiles.readObjectIfPresent(dir.resolve(CONFIG_FILE)),
                JsonFiles.readObjectIfPresent(dir.resolve(SPECIAL_MAP_FILE)), dir.resolve(CONFIG_FILE));
    }

    /** clean_up_tokenization_spaces; false when absent (the transformers default since 4.45). */
    boolean cleanUpSpaces() {
        return config.path("clean_up_tokenization_spaces").asBoolean(false);
    }

    /** model_max_length, or {@link Integer#MAX_VALUE} when absent or beyond int range. */
    int modelMaxLength() {
        return JsonFiles.intOr(config, "model_max_length", Integer.MAX_VALUE);
    }

    /** trim_offsets; true when absent (the RoBERTa default). */
    boolean trimOffsets() {
        return config.path("trim_offsets").asBoolean(true);
    }

    /** add_prefix_space; false when absent. */
    boolean addPrefixSpace() {
        return config.path("add_prefix_space").asBoolean(false);
    }

    /** do_lower_case (BERT); true when absent, as BertTokenizer. */
    boolean doLowerCase() {
        return config.path("do_lower_case").asBoolean(true);
    }

    /** strip_accents (BERT); null when absent or null: follow do_lower_case. */
    Boolean stripAccents() {
        JsonNode v = config.get("strip_accents");
        return v == null || v.isNull() ? null : v.asBoolean();
    }

    /** tokenize_chinese_chars (BERT); true when absent. */
    boolean tokenizeChineseChars() {
        return config.path("tokenize_chinese_chars").asBoolean(true);
    }

    /** The added_tokens_decoder object of tokenizer_config.json (id to token object), possibly empty. */
    JsonNode addedTokensDecoder() {
        return config.path("added_tokens_decoder");
    }

    Path configFile() {
        return configFile;
    }

    /**
     * The node naming the token of {@code role} ({@code "mask_token"}, …): tokenizer_config.json
     * first, then special_tokens_map.json; null when neither names it.
     */
    JsonNode special(String role) {
        JsonNode v = config.get(role);
        if (v == null || v.isNull()) {
            v = specialMap.get(role);
        }
        return v == null || v.isNull() ? null : v;
    }

    /** The token text of {@code role}, or {@code fallback} (which may be null). */
    String specialContent(String role, String fallback) {
        JsonNode v = special(role);
        if (v == null) {
            return fallback;
        }
        return v.isTextual() ? v.asText() : v.path("content").isTextual() ? v.get("content").asText() : fallback;
    }
}
