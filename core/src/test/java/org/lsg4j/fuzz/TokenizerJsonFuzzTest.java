package org.lsg4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;
import java.util.Set;

/** tokenizer.json of any model type (BPE, WordPiece, Unigram; the seeds hold one of each): loaded, then used. */
class TokenizerJsonFuzzTest {
    private static final Path DIR = Fuzzing.scratch("tokenizer-json");

    @FuzzTest(maxDuration = "5s")
    void tokenizerJson(byte[] data) {
        Fuzzing.write(DIR, "tokenizer.json", data);
        Fuzzing.run(() -> TokenizerUse.exercise(org.lsg4j.tokenizer.Tokenizer.load(DIR)));
        Fuzzing.assertOnly(DIR, Set.of("tokenizer.json"));
    }
}
