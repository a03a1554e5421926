package org.lsg4j.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Unigram against the Rust tokenizers, on the SentencePiece models of
 * {@code core/src/test/resources/tokenizers} (see make_unigram.py): the XLM-R layout (Precompiled
 * nmt_nfkc charsmap, Metaspace, {@code <s> A </s></s> B </s>}), the ALBERT layout (NFKD, accents
 * stripped, lowercase, Precompiled; {@code [CLS] A [SEP] B [SEP]} with type ids), the byte-fallback
 * layout (Prepend and Replace normalizers, no pre-tokenizer, {@code <0xHH>} pieces, a decoder
 * sequence), and variants built from them for the other Metaspace schemes, normalizers and added
 * token flags.
 */
class UnigramDifferentialTest {
    private static final String XLMR = "/tokenizers/unigram-xlmr.json.gz";
    private static final String ALBERT = "/tokenizers/unigram-albert.json.gz";
    private static final String BYTE_FALLBACK = "/tokenizers/unigram-bytefallback.json";
    private static final RandomTexts TEXTS = new RandomTexts("<s>", "</s>", "<pad>", "<unk>", "<mask>", " <mask>", "<MASK>",
            "[CLS]", "[SEP]", "[MASK]", " [MASK] ", "[mask]", "▁", "▁▁", "Ünïcödé", "ünicode", "qq", "aqq", "qq!", "  ",
            "\u3000\u3000", "abababababababab", "<Extra>", " <extra> ", "<EXTRA>");

    @Test
    void xlmRobertaLayout(@TempDir Path dir) throws IOException {
        new Differential(TokenizerFiles.write(dir, "xlmr", TokenizerFiles.resource(XLMR), json -> { }), TEXTS)
                .run(11, 3000).assertIdentical();
    }

    @Test
    void albertLayout(@TempDir Path dir) throws IOException {
        new Differential(TokenizerFiles.write(dir, "albert", TokenizerFiles.resource(ALBERT), json -> { }), TEXTS)
                .run(12, 3000).assertIdentical();
    }

    @Test
    void byteFallbackLayout(@TempDir Path dir) throws IOException {
        new Differential(TokenizerFiles.write(dir, "bytes", TokenizerFiles.resource(BYTE_FALLBACK), json -> { }), TEXTS)
                .run(13, 3000).assertIdentical();
    }

    /** Metaspace with prepend_scheme first and without splitting, as pre-tokenizer and decoder. */
    @Test
    void metaspaceFirstWithoutSplit(@TempDir Path dir) throws IOException {
        new Differential(TokenizerFiles.write(dir, "first", TokenizerFiles.resource(XLMR), json -> {
            ObjectNode metaspace = metaspace("first", false);
            json.set("pre_tokenizer", metaspace);
            json.set("decoder", metaspace.deepCopy());
        }), TEXTS).run(14, 2000).assertIdentical();
    }

    /**
     * Other normalizers (Nmt, NFKC, Lowercase, Strip on both sides, a literal Replace) and a
     * pre-tokenizer sequence (WhitespaceSplit, then Metaspace first); prepend_scheme never in the decoder.
     */
    @Test
    void otherNormalizersAndWhitespaceSplit(@TempDir Path dir) throws IOException {
        new Differential(TokenizerFiles.write(dir, "nfkc", TokenizerFiles.resource(XLMR), json -> {
            ArrayNode normalizers = json.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
            normalizers.addObject().put("type", "Nmt");
            normalizers.addObject().put("type", "NFKC");
            normalizers.addObject().put("type", "Lowercase");
            normalizers.addObject().put("type", "Strip").put("strip_left", true).put("strip_right", true);
            normalizers.addObject().put("type", "Replace").put("content", "-").putObject("pattern").put("String", "--");
            ObjectNode pre = json.putObject("pre_tokenizer").put("type", "Sequence");
            pre.putArray("pretokenizers").add(TokenizerFiles.MAPPER.createObjectNode().put("type", "WhitespaceSplit"))
                    .add(metaspace("first", true));
            json.set("decoder", metaspace("never", true));
        }), TEXTS).run(15, 2000).assertIdentical();
    }

    /**
     * NFD and NFC instead of NFKD and StripAccents, and added tokens that are normalized (matched
     * on the normalized text, by their normalized content) or single_word.
     */
    @Test
    void canonicalFormsAndAddedTokenFlags(@TempDir Path dir) throws IOException {
        new Differential(TokenizerFiles.write(dir, "nfc", TokenizerFiles.resource(ALBERT), json -> {
            ArrayNode normalizers = (ArrayNode) json.get("normalizer").get("normalizers");
            ((ObjectNode) normalizers.get(2)).put("type", "NFD");
            ((ObjectNode) normalizers.get(3)).put("type", "NFC");
            int next = json.get("model").get("vocab").size();
            ArrayNode added = (ArrayNode) json.get("added_tokens");
            added.add(token(next, "Ünïcödé", true, false));
            added.add(token(next + 1, "qq", false, true));
            added.add(token(next + 2, "ÉCOLE", true, true));
            added.add(token(next + 3, "<Extra>", true, false).put("lstrip", true).put("rstrip", true));
        }), TEXTS).run(16, 2000).assertIdentical();
    }

    private static ObjectNode metaspace(String scheme, boolean split) {
        return TokenizerFiles.MAPPER.createObjectNode().put("type", "Metaspace").put("replacement", "\u2581")
                .put("prepend_scheme", scheme).put("split", split);
    }

    private static ObjectNode token(int id, String content, boolean normalized, boolean singleWord) {
        return TokenizerFiles.MAPPER.createObjectNode().put("id", id).put("content", content).put("single_word", singleWord)
                .put("lstrip", false).put("rstrip", false).put("normalized", normalized).put("special", false);
    }
}
