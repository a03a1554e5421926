package org.lsg4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;
import java.util.Set;

/** A slow BERT tokenizer folder: vocab.txt; loaded, then used. */
class VocabTxtFuzzTest {
    private static final Path DIR = Fuzzing.scratch("vocab-txt");

    @FuzzTest(maxDuration = "5s")
    void vocabTxt(byte[] data) {
        Fuzzing.write(DIR, "vocab.txt", data);
        Fuzzing.run(() -> TokenizerUse.exercise(org.lsg4j.tokenizer.Tokenizer.load(DIR)));
        Fuzzing.assertOnly(DIR, Set.of("vocab.txt"));
    }
}
