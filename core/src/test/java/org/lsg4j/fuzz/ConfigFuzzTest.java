package org.lsg4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.LsgGeometry;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** config.json: read and validated, then the LSG geometry of a short, a two-block and the longest input (what lsg info shows). */
class ConfigFuzzTest {
    private static final Path DIR = Fuzzing.scratch("config");

    @FuzzTest(maxDuration = "5s")
    void config(byte[] data) {
        byte[][] parts = Fuzzing.split(data);
        Path file = Fuzzing.write(DIR, "config.json", parts[0]);
        Fuzzing.run(() -> {
            LsgConfig c = parts[1].length == 0 ? LsgConfig.load(file)
                    : LsgConfig.load(file, Map.of("block_size", new String(parts[1], java.nio.charset.StandardCharsets.UTF_8)));
            c.architecture();
            for (int length : new int[] {1, 2 * c.blockSize() + 1, c.maxTokens()}) {
                if (length >= 1) {
                    LsgGeometry g = LsgGeometry.of(c, length);
                    g.keysPerQuery();
                    g.maxGatheredKeys();
                }
            }
        });
        Fuzzing.assertOnly(DIR, Set.of("config.json"));
    }
}
