package org.lsg4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

/**
 * The transformers-side files of a tokenizer folder: tokenizer_config.json, then a zero byte,
 * then special_tokens_map.json, beside a fixed byte-level vocab.json and merges.txt (whose
 * special tokens they name, add or move); loaded, then used.
 */
class TokenizerConfigFuzzTest {
    private static final Path DIR = Fuzzing.scratch("tokenizer-config");
    private static final byte[] VOCAB;

    static {
        // the specials, GPT-2's 256 byte symbols, and the special tokens of both kinds the configs may name
        StringBuilder vocab = new StringBuilder("{\"<s>\": 0, \"<pad>\": 1, \"</s>\": 2, \"<unk>\": 3");
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            int symbol = printable ? b : 256 + shifted++;
            vocab.append(String.format(", \"\\u%04x\": %d", symbol, 4 + b));
        }
        vocab.append(", \"\\u0120a\": 260, \"<mask>\": 261, \"[CLS]\": 262, \"[SEP]\": 263, \"[MASK]\": 264}");
        VOCAB = vocab.toString().getBytes(StandardCharsets.UTF_8);
    }

    @FuzzTest(maxDuration = "5s")
    void tokenizerConfig(byte[] data) {
        byte[][] parts = Fuzzing.split(data);
        Fuzzing.write(DIR, "vocab.json", VOCAB);
        Fuzzing.write(DIR, "merges.txt", "#version: 0.2\n\u0120 a\n".getBytes(StandardCharsets.UTF_8));
        Fuzzing.write(DIR, "tokenizer_config.json", parts[0]);
        Fuzzing.write(DIR, "special_tokens_map.json", parts[1]);
        Fuzzing.run(() -> TokenizerUse.exercise(org.lsg4j.tokenizer.Tokenizer.load(DIR)));
        Fuzzing.assertOnly(DIR, Set.of("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"));
    }
}
