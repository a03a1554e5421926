package org.lsg4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.lsg4j.io.Checkpoint;

import java.nio.file.Path;
import java.util.Set;

/** A whole pytorch_model.bin: the zip container (entries, sizes, methods) and what it holds; every tensor is read. */
class TorchZipFuzzTest {
    private static final Path DIR = Fuzzing.scratch("torch-zip");

    @FuzzTest(maxDuration = "5s")
    void zip(byte[] data) {
        Fuzzing.write(DIR, "pytorch_model.bin", data);
        Fuzzing.run(() -> {
            try (Checkpoint c = Checkpoint.open(DIR)) {
                for (String key : c.keys()) {
                    c.get(key);
                }
            }
        });
        Fuzzing.assertOnly(DIR, Set.of("pytorch_model.bin"));
    }
}
