package org.lsg4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * WordPiece against the Rust tokenizers: the real all-MiniLM-L6-v2 tokenizer.json (uncased BERT:
 * BertNormalizer lowercasing and stripping accents, BertPreTokenizer, TemplateProcessing, WordPiece
 * decoder), and cased variants built from it (lowercase off, strip_accents true and false).
 */
class WordPieceDifferentialTest {
    private static final RandomTexts TEXTS = new RandomTexts("[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", "[mask]",
            " [MASK] ", "[MASK][MASK]", "unaffable", "##able", "playing", "Playing", "PLAYING", "jumped");

    @Test
    void miniLmUncased(@TempDir Path dir) throws IOException {
        Path folder = TokenizerFiles.write(dir, "minilm", TokenizerFiles.resource(TokenizerFiles.MINILM), json -> { });
        new Differential(folder, TEXTS).run(1, 3000).assertIdentical();
    }

    @Test
    void casedKeepingAccents(@TempDir Path dir) throws IOException {
        new Differential(cased(dir, false), TEXTS).run(2, 2000).assertIdentical();
    }

    @Test
    void casedStrippingAccents(@TempDir Path dir) throws IOException {
        new Differential(cased(dir, true), TEXTS).run(3, 2000).assertIdentical();
    }

    /**
     * A slow-tokenizer folder (vocab.txt and tokenizer_config.json) read by lsg4j, against the
     * tokenizer.json transformers would build from it, read by the Rust tokenizers.
     */
    @Test
    void vocabTxtFoldersAsTheirTokenizerJson(@TempDir Path dir) throws IOException {
        for (boolean cased : new boolean[] {false, true}) {
            Path json = cased ? cased(dir, true) : TokenizerFiles.write(dir, "minilm", TokenizerFiles.resource(TokenizerFiles.MINILM),
                    j -> { });
            ObjectNode vocab = (ObjectNode) TokenizerFiles.MAPPER.readTree(json.resolve("tokenizer.json").toFile())
                    .get("model").get("vocab");
            String[] lines = new String[vocab.size()];
            vocab.properties().forEach(e -> lines[e.getValue().intValue()] = e.getKey());
            Path slow = java.nio.file.Files.createDirectories(dir.resolve("slow-" + cased));
            java.nio.file.Files.write(slow.resolve("vocab.txt"), java.util.Arrays.asList(lines));
            java.nio.file.Files.writeString(slow.resolve("tokenizer_config.json"), cased
                    ? "{\"do_lower_case\": false, \"strip_accents\": true}" : "{\"do_lower_case\": true}");
            new Differential(slow, json.resolve("tokenizer.json"), TEXTS).run(cased ? 5 : 4, 1500).assertIdentical();
        }
    }

    /** MiniLM's vocabulary plus a capitalized and an upper-case copy of its word tokens, without lowercasing. */
    private static Path cased(Path dir, boolean stripAccents) throws IOException {
        return TokenizerFiles.write(dir, "cased-" + stripAccents, TokenizerFiles.resource(TokenizerFiles.MINILM), json -> {
            ObjectNode normalizer = (ObjectNode) json.get("normalizer");
            normalizer.put("lowercase", false).put("strip_accents", stripAccents);
            ObjectNode vocab = (ObjectNode) json.get("model").get("vocab");
            int next = vocab.size();
            java.util.List<String> tokens = new java.util.ArrayList<>();
            vocab.fieldNames().forEachRemaining(tokens::add);
            for (String token : tokens) {
                if (token.length() < 2 || token.startsWith("[") || !Character.isLetter(token.codePointAt(0))) {
                    continue;
                }
                for (String variant : new String[] {token.substring(0, 1).toUpperCase() + token.substring(1), token.toUpperCase()}) {
                    if (!vocab.has(variant)) {
                        vocab.put(variant, next++);
                    }
                }
            }
        });
    }
}
