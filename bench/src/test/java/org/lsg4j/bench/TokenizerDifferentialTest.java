package org.lsg4j.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Byte-level BPE against the Rust tokenizers on roberta-base (see {@link Differential} for what is
 * compared), on seeded random texts and pairs with RoBERTa's special tokens written in the text.
 */
class TokenizerDifferentialTest {
    private static final Path ROBERTA = TokenizerFiles.SHARED.resolve("tokenizers/roberta-base");
    private static final RandomTexts TEXTS = new RandomTexts("<mask>", " <mask>", "<s>", "</s>", "<pad>", "<unk>", "<MASK>",
            "< mask>", "<mask><mask>");

    @Test
    void agreesWithTheRustTokenizer() throws IOException {
        new Differential(ROBERTA, TEXTS).run(20261125, 3000).assertIdentical();
    }
}
