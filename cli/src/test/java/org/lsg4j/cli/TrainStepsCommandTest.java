package org.lsg4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.tensor.FloatTensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lsg train-steps} and {@code lsg forward --backward} end to end: the optimizer fixtures
 * replayed through files match the float64 reference; gradient fixtures compare clean; bad input
 * gets one line, exit code 2 and no output file.
 */
class TrainStepsCommandTest {
    private static final Path SHARED = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures");

    @TempDir
    Path tmp;

    @Test
    void replaysTheOptimizerFixture() {
        Path c = SHARED.resolve("lsg-optimizer/opt-seqcls-recipe");
        Path out = tmp.resolve("steps.safetensors");
        ForwardCommandTest.Result r = ForwardCommandTest.lsg("train-steps", "--model", c.toString(), "--batches",
                c.resolve("inputs.safetensors").toString(), "--output", out.toString(), "--trainable",
                "global_embeddings,classifier", "--lr", "1e-3", "--warmup", "1", "--total-steps", "3", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        try (SafeTensors got = SafeTensors.open(out); SafeTensors ref = SafeTensors.open(c.resolve("outputs.safetensors"))) {
            int compared = 0;
            for (String name : ref.names()) {
                if (name.endsWith(".f64")) {
                    continue;
                }
                FloatTensor expected = ref.floats(name + ".f64");
                FloatTensor actual = got.floats(name);
                for (int i = 0; i < expected.data().length; i++) {
                    double e = expected.data()[i];
                    assertTrue(Math.abs(e - actual.data()[i]) <= 2e-5 + 2e-5 * Math.abs(e),
                            name + "[" + i + "]: " + actual.data()[i] + " vs " + e);
                }
                compared++;
            }
            assertEquals(ref.names().stream().filter(n -> !n.endsWith(".f64")).count(), compared);
        }
        assertTrue(r.err().contains("step 3: loss"), r.err());
    }

    @Test
    void forwardBackwardReproducesAGradientCase() {
        Path c = SHARED.resolve("lsg-gradients/grad-bos_pooling-base");
        ForwardCommandTest.Result r = ForwardCommandTest.lsg("forward", "--model", c.toString(), "--inputs",
                c.resolve("inputs.safetensors").toString(), "--output", tmp.resolve("g.safetensors").toString(),
                "--backward", "--compare", c.resolve("outputs.safetensors").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertFalse(r.out().contains("MISMATCH") || r.out().contains("MISSING"), r.out());
        assertTrue(r.out().contains("grad.encoder.layer.1.attention.self.query.weight"), r.out());
        assertTrue(r.out().contains("grad_loss"), r.out());
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws Exception {
        Path c = SHARED.resolve("lsg-optimizer/opt-seqcls-recipe");
        Path out = tmp.resolve("none.safetensors");
        String[][] cases = {
            {"--steps", "7"},
            {"--trainable", "no_such_parameter"},
            {"--grad-accum", "2"},
            {"--beta1", "1.5"},
        };
        for (String[] extra : cases) {
            String[] base = {"train-steps", "--model", c.toString(), "--batches", c.resolve("inputs.safetensors").toString(),
                    "--output", out.toString()};
            String[] args = new String[base.length + extra.length];
            System.arraycopy(base, 0, args, 0, base.length);
            System.arraycopy(extra, 0, args, base.length, extra.length);
            ForwardCommandTest.Result r = ForwardCommandTest.lsg(args);
            assertEquals(2, r.code(), String.join(" ", extra) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("lsg: error:")).count(), r.err());
            assertFalse(Files.exists(out), String.join(" ", extra));
        }
        Path gappy = tmp.resolve("gappy.safetensors");
        SafeTensors.write(gappy, Map.of("step2.input_ids", new org.lsg4j.tensor.LongTensor(new int[]{1, 4}, new long[]{0, 5, 6, 2})),
                Map.of());
        ForwardCommandTest.Result r = ForwardCommandTest.lsg("train-steps", "--model", c.toString(), "--batches",
                gappy.toString(), "--output", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("without gaps"), r.err());
    }
}
