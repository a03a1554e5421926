package org.lsg4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;
import java.util.Set;

/** A slow RoBERTa tokenizer folder: vocab.json, then a zero byte, then merges.txt; loaded, then used. */
class VocabMergesFuzzTest {
    private static final Path DIR = Fuzzing.scratch("vocab-merges");

    @FuzzTest(maxDuration = "5s")
    void vocabMerges(byte[] data) {
        byte[][] parts = Fuzzing.split(data);
        Fuzzing.write(DIR, "vocab.json", parts[0]);
        Fuzzing.write(DIR, "merges.txt", parts[1]);
        Fuzzing.run(() -> TokenizerUse.exercise(org.lsg4j.tokenizer.Tokenizer.load(DIR)));
        Fuzzing.assertOnly(DIR, Set.of("vocab.json", "merges.txt"));
    }
}
