package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.LsgException;
import org.lsg4j.io.Limits;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face tokenizers {@code tokenizer.json}: the model (BPE, WordPiece or Unigram),
 * the added tokens and the pipeline components ({@link ComponentReader}). The transformers-side
 * settings (pad, unknown and mask tokens when the file does not say, clean-up, model_max_length)
 * come from {@link TokenizerConfig}. A component lsg4j does not implement is refused with a
 * message naming it.
 */
final class TokenizerJsonReader {
    static final String FILE = "tokenizer.json";

    private TokenizerJsonReader() {
    }

    static TokenizerSpec read(Path file, TokenizerConfig config) {
        JsonNode root = JsonFiles.readObject(file, Limits.TOKENIZER_BYTES);
        JsonNode model = root.path("model");
        JsonFiles.require(model.isObject(), file, "missing the \"model\" object");
        String kind = model.path("type").asText(model.has("merges") ? "BPE" : "");
        ComponentReader components = new ComponentReader(file);
        Normalizer normalizer = components.normalizer(root.path("normalizer"), "normalizer");
        PreTokenizer preTokenizer = components.preTokenizer(root.path("pre_tokenizer"), "pre_tokenizer");
        Decoder decoder = components.decoder(root.path("decoder"), "decoder");
        List<AddedToken> added = readAddedTokens(file, root.path("added_tokens"));

        Map<String, Integer> ids;
        String[] tokens;
        Model m;
        String unk;
        String prefix = "";
        switch (kind) {
            case "BPE" -> {
                checkBpe(file, model, preTokenizer);
                ids = readVocab(file, model.path("vocab"));
                tokens = SpecialTokens.tokensById(ids);
                m = BpeModel.of(ids, readMerges(file, model.path("merges")), tokens, model.path("ignore_merges").asBoolean(false));
                unk = model.path("unk_token").isTextual() ? model.get("unk_token").asText() : config.specialContent("unk_token", "<unk>");
            }
            case "WordPiece" -> {
                requireNotByteLevel(file, preTokenizer, kind);
                ids = readVocab(file, model.path("vocab"));
                tokens = SpecialTokens.tokensById(ids);
                unk = model.path("unk_token").asText("[UNK]");
                prefix = model.path("continuing_subword_prefix").asText("##");
                Integer unkId = ids.get(unk);
                JsonFiles.require(unkId != null, file, "the WordPiece unk_token \"" + LsgException.excerpt(unk) + "\" is not in the vocabulary");
                m = new WordPieceModel(ids, unk, unkId, prefix, JsonFiles.intOr(model, "max_input_chars_per_word", 100));
            }
            case "Unigram" -> {
                requireNotByteLevel(file, preTokenizer, kind);
                UnigramModel unigram = readUnigram(file, model);
                tokens = unigram.pieces();
                ids = unigram.ids();
                m = unigram;
                int unkId = model.path("unk_id").isInt() ? model.get("unk_id").intValue() : -1;
                unk = unkId >= 0 ? tokens[unkId] : null;
            }
            default -> throw JsonFiles.error(file, "model type \"" + LsgException.excerpt(model.path("type").asText()) + "\" is not supported"
                    + " (expected BPE, WordPiece or Unigram)");
        }

        JsonNode post = root.path("post_processor");
        PostProcessor processor = components.postProcessor(post, "post_processor");
        boolean trimOffsets = "RobertaProcessing".equals(post.path("type").asText()) && post.path("trim_offsets").asBoolean(true);
        TokenizerSpec.TokenRef pad = padToken(file, root.path("padding"), config, kind, ids, added);
        String mask = SpecialTokens.mask(config, ids, added);
        return new TokenizerSpec(kind, m, tokens, ids, added, normalizer, preTokenizer, processor, decoder, trimOffsets, pad,
                unk, mask, kind.equals("WordPiece") ? prefix : "", config.cleanUpSpaces(), config.modelMaxLength());
    }

    private static void checkBpe(Path file, JsonNode model, PreTokenizer preTokenizer) {
        JsonFiles.require(model.path("continuing_subword_prefix").asText("").isEmpty()
                && model.path("end_of_word_suffix").asText("").isEmpty(), file,
                "BPE continuing_subword_prefix/end_of_word_suffix are not supported");
        JsonFiles.require(model.path("dropout").asDouble(0) == 0, file, "BPE dropout is not supported");
        JsonFiles.require(!model.path("byte_fallback").asBoolean(false), file, "BPE byte_fallback is not supported");
        JsonFiles.require(preTokenizer instanceof ByteLevelPreTokenizer, file,
                "a BPE model needs the ByteLevel pre-tokenizer (lsg4j implements byte-level BPE only)");
    }

    private static void requireNotByteLevel(Path file, PreTokenizer preTokenizer, String kind) {
        JsonFiles.require(!(preTokenizer instanceof ByteLevelPreTokenizer), file,
                "the ByteLevel pre-tokenizer goes with a BPE model, not " + kind);
    }

    static Map<String, Integer> readVocab(Path file, JsonNode vocab) {
        JsonFiles.require(vocab.isObject(), file, "the vocabulary must be a JSON object of token to id");
        JsonFiles.require(vocab.size() <= Limits.VOCABULARY, file, "the vocabulary has " + vocab.size()
                + " entries, more than the " + Limits.VOCABULARY + " lsg4j reads");
        Map<String, Integer> out = new HashMap<>(vocab.size() * 2);
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            out.put(e.getKey(), JsonFiles.id(e.getValue(), file,
                    () -> "the id of token \"" + LsgException.excerpt(e.getKey()) + "\""));
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
                    "merge " + i + " must be \"left right\" or [\"left\", \"right\"], found " + JsonFiles.kind(m));
            out.add(pair);
        }
        return out;
    }

    /** {@code "vocab": [[piece, score], ...]} (id = position), {@code "unk_id"}, {@code "byte_fallback"}. */
    private static UnigramModel readUnigram(Path file, JsonNode model) {
        JsonNode vocab = model.path("vocab");
        JsonFiles.require(vocab.isArray() && !vocab.isEmpty() && vocab.size() <= Limits.VOCABULARY, file,
                "the Unigram vocab must be a non-empty array of at most " + Limits.VOCABULARY + " [piece, score]");
        List<String> pieces = new ArrayList<>(vocab.size());
        double[] scores = new double[vocab.size()];
        for (int i = 0; i < vocab.size(); i++) {
            JsonNode e = vocab.get(i);
            JsonFiles.require(e.isArray() && e.size() == 2 && e.get(0).isTextual() && e.get(1).isNumber()
                            && Double.isFinite(e.get(1).doubleValue()), file,
                    "Unigram vocab entry " + i + " must be [piece, finite score], found " + JsonFiles.kind(e));
            pieces.add(e.get(0).asText());
            scores[i] = e.get(1).doubleValue();
        }
        JsonNode unk = model.path("unk_id");
        JsonFiles.require(unk.isMissingNode() || unk.isNull() || (unk.isInt() && unk.intValue() >= 0 && unk.intValue() < pieces.size()),
                file, "unk_id must be null or an index of the vocab (0.." + (pieces.size() - 1) + "), found " + JsonFiles.kind(unk));
        return new UnigramModel(pieces, scores, unk.isInt() ? unk.intValue() : -1, model.path("byte_fallback").asBoolean(false));
    }

    private static List<AddedToken> readAddedTokens(Path file, JsonNode tokens) {
        List<AddedToken> out = new ArrayList<>();
        if (tokens.isMissingNode() || tokens.isNull()) {
            return out;
        }
        JsonFiles.require(tokens.isArray(), file, "added_tokens must be an array");
        JsonFiles.require(tokens.size() <= Limits.VOCABULARY, file, "added_tokens has more than " + Limits.VOCABULARY + " tokens");
        for (JsonNode t : tokens) {
            JsonFiles.require(t.path("content").isTextual() && !t.path("content").asText().isEmpty(),
                    file, "each added token needs a non-empty content, found " + JsonFiles.kind(t));
            int id = JsonFiles.id(t.get("id"), file, "the id of added token \"" + LsgException.excerpt(t.get("content").asText()) + "\"");
            out.add(new AddedToken(t.get("content").asText(), id, t.path("special").asBoolean(false),
                    t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false),
                    t.path("normalized").asBoolean(true), t.path("single_word").asBoolean(false)));
        }
        return out;
    }

    /**
     * The padding section's token when present, else the configured pad_token, else the kind's usual
     * one; null when the vocabulary has none of these (Llama-like vocabularies have no pad token).
     */
    private static TokenizerSpec.TokenRef padToken(Path file, JsonNode padding, TokenizerConfig config, String kind,
                                                   Map<String, Integer> ids, List<AddedToken> added) {
        if (padding.isObject() && padding.path("pad_token").isTextual() && padding.path("pad_id").isInt()) {
            return new TokenizerSpec.TokenRef(padding.get("pad_token").asText(), JsonFiles.id(padding.get("pad_id"), file, "padding.pad_id"));
        }
        String pad = config.specialContent("pad_token", kind.equals("WordPiece") ? "[PAD]" : "<pad>");
        TokenizerSpec.TokenRef ref = SpecialTokens.find(pad, ids, added);
        JsonFiles.require(ref != null || config.special("pad_token") == null, file,
                "the pad token \"" + LsgException.excerpt(pad) + "\" of " + config.configFile().getFileName()
                        + " is neither an added token nor in the vocabulary");
        return ref;
    }
}
