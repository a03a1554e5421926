package org.lsg4j.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
    @Test
    void lengthBatchesBoundThePaddingAndTheTokensAndTakeEveryDocumentOnce() {
        int[] lengths = {300, 4096, 3900, 1000, 3600, 950, 3584, 290, 4000};
        List<int[]> groups = BenchCommand.lengthBatches(lengths, 128, 8192);
        // longest first: 4096 + 4000 (a third would pass 8192 tokens); 3900 + 3600 (padding 300 <= 3900 / 8,
        // the budget again); 3584 alone (1000 would pad 2584); 1000 + 950 (300 would pad 700); 300 + 290
        List<Integer> seen = new ArrayList<>();
        for (int[] g : groups) {
            int width = lengths[g[0]];
            assertTrue((long) g.length * width <= 8192, "budget: " + Arrays.toString(g));
            for (int i : g) {
                assertTrue(lengths[i] <= width && 8L * (width - lengths[i]) <= width,
                        "padding of document " + i + " in " + Arrays.toString(g));
                seen.add(i);
            }
        }
        seen.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), seen);
        assertArrayEquals(new int[]{1, 8}, groups.get(0));
        assertArrayEquals(new int[]{2, 4}, groups.get(1));
        assertArrayEquals(new int[]{6}, groups.get(2));
        assertArrayEquals(new int[]{3, 5}, groups.get(3));
        assertArrayEquals(new int[]{0, 7}, groups.get(4));
        assertEquals(5, groups.size());
    }

    @Test
    void trainWithAModelTimesThatCheckpoint() {
        CliRun r = CliRun.run("bench", "--model", CliRun.model("mlm-norm-b16"), "--train", "global",
                "--tokens", "64", "--threads", "1", "--repeat", "1", "--warmup", "0", "--json");
        assertEquals(0, r.exit(), r.err());
        String line = r.out().strip();
        assertTrue(line.startsWith("{\"impl\":\"lsg4j-train-step\",\"trainable\":\"global\",\"tokens\":64"), line);
        // the fixture's shape (hidden 32): 1.5 KB of activations per token per layer, the preset's (hidden 768) 36.9
        assertTrue(line.contains("\"tape_kb_per_token_per_layer\":1.5,") && line.contains("\"peak_rss_mb\""), line);
    }
}
