package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.LsgException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face tokenizers {@code tokenizer.json} of the RoBERTa kind: BPE model, no
 * normalizer, ByteLevel pre-tokenizer and decoder, RobertaProcessing post-processor. Other
 * pipelines are refused with a message saying what is supported.
 */
final class TokenizerJsonReader {
    static final String FILE = "tokenizer.json";

    private TokenizerJsonReader() {
    }

    static TokenizerSpec read(Path dir, TokenizerConfig config) {
        Path file = dir.resolve(FILE);
        JsonNode root = JsonFiles.readObject(file);
        JsonNode model = root.path("model");
        JsonFiles.require(model.isObject(), file, "missing the \"model\" object");
        JsonFiles.require(model.path("type").asText("BPE").equals("BPE"), file,
                "model type " + model.path("type").asText() + " is not supported (expected BPE)");
        JsonFiles.require(model.path("continuing_subword_prefix").asText("").isEmpty()
                && model.path("end_of_word_suffix").asText("").isEmpty(), file,
                "BPE continuing_subword_prefix/end_of_word_suffix are not supported");
        JsonFiles.require(model.path("dropout").asDouble(0) == 0, file, "BPE dropout is not supported");
        JsonFiles.require(root.path("normalizer").isMissingNode() || root.path("normalizer").isNull(), file,
                "a normalizer is not supported (expected \"normalizer\": null)");
        checkByteLevel(file, root.path("pre_tokenizer"), "pre_tokenizer");
        JsonNode decoder = root.path("decoder");
        JsonFiles.require(decoder.isNull() || decoder.isMissingNode() || "ByteLevel".equals(decoder.path("type").asText()),
                file, "decoder type " + decoder.path("type").asText() + " is not supported (expected ByteLevel)");

        Map<String, Integer> vocab = readVocab(file, model.path("vocab"));
        List<String[]> merges = readMerges(file, model.path("merges"));
        List<AddedToken> added = readAddedTokens(file, root.path("added_tokens"));

        JsonNode post = root.path("post_processor");
        JsonFiles.require("RobertaProcessing".equals(post.path("type").asText()), file,
                "post_processor type " + post.path("type").asText("null") + " is not supported (expected RobertaProcessing)");
        JsonFiles.require(!post.path("add_prefix_space").asBoolean(false), file, "add_prefix_space true is not supported");
        TokenizerSpec.TokenRef cls = tokenRef(file, post.path("cls"), "post_processor.cls");
        TokenizerSpec.TokenRef sep = tokenRef(file, post.path("sep"), "post_processor.sep");
        TokenizerSpec.TokenRef pad = padToken(root.path("padding"), config, vocab, added);
        return new TokenizerSpec(vocab, merges, added, cls, sep, pad, post.path("trim_offsets").asBoolean(true),
                model.path("ignore_merges").asBoolean(false), config.cleanUpSpaces(), config.modelMaxLength());
    }

    private static void checkByteLevel(Path file, JsonNode node, String name) {
        JsonFiles.require("ByteLevel".equals(node.path("type").asText()), file,
                name + " type " + node.path("type").asText("null") + " is not supported (expected ByteLevel)");
        JsonFiles.require(!node.path("add_prefix_space").asBoolean(false), file,
                name + ".add_prefix_space true is not supported");
        JsonFiles.require(node.path("use_regex").asBoolean(true), file, name + ".use_regex false is not supported");
    }

    static Map<String, Integer> readVocab(Path file, JsonNode vocab) {
        JsonFiles.require(vocab.isObject(), file, "the vocabulary must be a JSON object of token to id");
        Map<String, Integer> out = new HashMap<>(vocab.size() * 2);
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            JsonFiles.require(e.getValue().isInt() && e.getValue().intValue() >= 0, file,
                    "the id of token \"" + e.getKey() + "\" must be a non-negative integer");
            out.put(e.getKey(), e.getValue().intValue());
        }
        return out;
    }

    /** Merges are {@code "a b"} strings, or {@code ["a", "b"]} arrays in newer files. */
    private static List<String[]> readMerges(Path file, JsonNode merges) {
        JsonFiles.require(merges.isArray(), file, "model.merges must be an array");
        List<String[]> out = new ArrayList<>(merges.size());
        for (int i = 0; i < merges.size(); i++) {
            JsonNode m = merges.get(i);
            String[] pair;
            if (m.isTextual()) {
                pair = m.asText().split(" ", -1);
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                pair = new String[] {m.get(0).asText(), m.get(1).asText()};
            } else {
                pair = new String[0];
            }
            JsonFiles.require(pair.length == 2, file,
                    "merge " + i + " must be \"left right\" or [\"left\", \"right\"], found " + m);
            out.add(pair);
        }
        return out;
    }

    private static List<AddedToken> readAddedTokens(Path file, JsonNode tokens) {
        List<AddedToken> out = new ArrayList<>();
        if (tokens.isMissingNode() || tokens.isNull()) {
            return out;
        }
        JsonFiles.require(tokens.isArray(), file, "added_tokens must be an array");
        for (JsonNode t : tokens) {
            JsonFiles.require(t.path("id").isInt() && t.path("content").isTextual() && !t.path("content").asText().isEmpty(),
                    file, "each added token needs an integer id and a non-empty content, found " + t);
            out.add(new AddedToken(t.get("content").asText(), t.get("id").intValue(), t.path("special").asBoolean(false),
                    t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false),
                    t.path("normalized").asBoolean(true), t.path("single_word").asBoolean(false)));
        }
        return out;
    }

    private static TokenizerSpec.TokenRef tokenRef(Path file, JsonNode pair, String name) {
        JsonFiles.require(pair.isArray() && pair.size() == 2 && pair.get(0).isTextual() && pair.get(1).isInt(), file,
                name + " must be [token, id]");
        return new TokenizerSpec.TokenRef(pair.get(0).asText(), pair.get(1).intValue());
    }

    /** The padding section's token when present, else the configured pad_token, else {@code <pad>}. */
    private static TokenizerSpec.TokenRef padToken(JsonNode padding, TokenizerConfig config,
                                                   Map<String, Integer> vocab, List<AddedToken> added) {
        if (padding.isObject() && padding.path("pad_token").isTextual() && padding.path("pad_id").isInt()) {
            return new TokenizerSpec.TokenRef(padding.get("pad_token").asText(), padding.get("pad_id").intValue());
        }
        String pad = config.specialContent("pad_token", "<pad>");
        for (AddedToken t : added) {
            if (t.content().equals(pad)) {
                return new TokenizerSpec.TokenRef(pad, t.id());
            }
        }
        Integer id = vocab.get(pad);
        if (id == null) {
            throw new LsgException("the pad token \"" + pad + "\" is neither an added token nor in the vocabulary");
        }
        return new TokenizerSpec.TokenRef(pad, id);
    }
}
