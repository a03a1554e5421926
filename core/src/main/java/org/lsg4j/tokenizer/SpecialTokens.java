package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.LsgException;

import java.util.List;
import java.util.Map;

/** Finding special tokens in a vocabulary, and the special-token settings of slow-tokenizer folders. */
final class SpecialTokens {
    /** The mask tokens looked for when the configuration names none. */
    private static final String[] MASK_DEFAULTS = {"<mask>", "[MASK]"};

    private SpecialTokens() {
    }

    /** {@code token} among the added tokens, else in the model vocabulary; null when in neither. */
    static TokenizerSpec.TokenRef find(String token, Map<String, Integer> ids, List<AddedToken> added) {
        for (AddedToken t : added) {
            if (t.content().equals(token)) {
                return new TokenizerSpec.TokenRef(token, t.id());
            }
        }
        Integer id = ids.get(token);
        return id == null ? null : new TokenizerSpec.TokenRef(token, id);
    }

    /** The configured mask_token, else the first of {@code <mask>}, {@code [MASK]} the vocabulary has; null when none. */
    static String mask(TokenizerConfig config, Map<String, Integer> ids, List<AddedToken> added) {
        String configured = config.specialContent("mask_token", null);
        if (configured != null) {
            return configured;
        }
        for (String candidate : MASK_DEFAULTS) {
            if (find(candidate, ids, added) != null) {
                return candidate;
            }
        }
        return null;
    }

    /** The model's token string of each id, from a token-to-id map. */
    static String[] tokensById(Map<String, Integer> ids) {
        int size = 0;
        for (int id : ids.values()) {
            size = Math.max(size, id + 1);
        }
        String[] out = new String[size];
        ids.forEach((token, id) -> out[id] = token);
        return out;
    }

    /**
     * The added tokens of a slow-tokenizer folder, in transformers' way: the entries of
     * tokenizer_config.json's {@code added_tokens_decoder}, then each special-token role
     * ({@code roles[i][0]}, with default {@code roles[i][1]}) not among them, looked up in the
     * vocabulary as a special token, not normalized. A role given as a plain string gets lstrip
     * when it is in {@code lstripRoles} (RobertaTokenizer's mask token).
     *
     * @param vocabFile named in the error when a role's token is not in the vocabulary
     */
    static List<AddedToken> slowAddedTokens(TokenizerConfig config, String[][] roles, List<String> lstripRoles,
                                            Map<String, Integer> vocab, String vocabFile) {
        Map<String, AddedToken> added = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : config.addedTokensDecoder().properties()) {
            JsonNode t = e.getValue();
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                id = -1;
            }
            if (id < 0 || id >= org.lsg4j.io.Limits.VOCABULARY) {
                throw new LsgException(config.configFile() + ": added_tokens_decoder key \"" + LsgException.excerpt(e.getKey())
                        + "\" is not a token id in [0, " + org.lsg4j.io.Limits.VOCABULARY + ")");
            }
            JsonFiles.require(t.path("content").isTextual() && !t.path("content").asText().isEmpty(), config.configFile(),
                    "added token " + id + " needs a non-empty content");
            String content = t.get("content").asText();
            added.put(content, new AddedToken(content, id, t.path("special").asBoolean(false),
                    t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false),
                    t.path("normalized").asBoolean(true), t.path("single_word").asBoolean(false)));
        }
        for (String[] role : roles) {
            JsonNode node = config.special(role[0]);
            String content = config.specialContent(role[0], role[1]);
            if (added.containsKey(content)) {
                continue;
            }
            Integer id = vocab.get(content);
            if (id == null) {
                throw new LsgException(vocabFile + " has no entry for the " + role[0] + " \"" + LsgException.excerpt(content) + "\"");
            }
            boolean object = node != null && node.isObject();
            boolean lstrip = object ? node.path("lstrip").asBoolean(false) : lstripRoles.contains(role[0]);
            added.put(content, new AddedToken(content, id, true, lstrip,
                    object && node.path("rstrip").asBoolean(false), object && node.path("normalized").asBoolean(false),
                    object && node.path("single_word").asBoolean(false)));
        }
        return List.copyOf(added.values());
    }

    /** The id of an added token of {@code added} by content. */
    static TokenizerSpec.TokenRef ref(List<AddedToken> added, String content) {
        for (AddedToken t : added) {
            if (t.content().equals(content)) {
                return new TokenizerSpec.TokenRef(content, t.id());
            }
        }
        throw new IllegalStateException("no added token " + content);
    }
}
