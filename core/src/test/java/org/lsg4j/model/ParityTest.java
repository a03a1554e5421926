package org.lsg4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lsg4j.LsgException;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.Tolerance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every case of ../shared/fixtures/lsg-roberta/index.json and ../shared/fixtures/lsg-families/index.json
 * (every family, and the converted models of the conversion cases), and of the test resources'
 * fixtures/lsg-extra (made with tools/reference-cases), against the PyTorch reference.
 * Float32 outputs must satisfy {@code |java - ref| <= 2e-5 + 2e-5 * |ref|} elementwise (the
 * reference's own float32-vs-float64 drift is under 2e-6 on activations). Gradients
 * ({@code grad.*}, {@code grad_loss}) belong to training and are checked by its tests.
 * Expected-error cases must fail with an {@link LsgException}.
 */
class ParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures");
    /** The shared sets, and lsg-extra (test resources: cases made with tools/reference-cases). */
    private static final List<Path> SETS = List.of(FIXTURES.resolve("lsg-roberta"), FIXTURES.resolve("lsg-families"),
            resource("/fixtures/lsg-extra"));
    private static double worstRatio = 0;
    private static String worstWhere = "none";

    @TestFactory
    Stream<DynamicTest> everyFixtureCase() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : SETS) {
            String set = dir.getFileName().toString();
            if (dir.startsWith(FIXTURES) && !org.lsg4j.SharedFixtures.present()) {
                // a shared set without ../shared: one test that says so (skipped, or failed when CI requires it)
                tests.add(DynamicTest.dynamicTest(set, () -> org.lsg4j.SharedFixtures.assumePresent("the parity set " + set)));
                continue;
            }
            JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
            int before = tests.size();
            for (JsonNode c : index.get("cases")) {
                String name = c.get("name").asText();
                tests.add(DynamicTest.dynamicTest(set + "/" + name, () -> runCase(dir.resolve(name))));
            }
            assertEquals(index.get("count").asInt(), tests.size() - before, set + "/index.json count");
        }
        return tests.stream();
    }

    private static Path resource(String folder) {
        try {
            return Path.of(ParityTest.class.getResource(folder + "/index.json").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("parity: worst |java - ref| / (2e-5 + 2e-5 |ref|) = %.4f at %s%n", worstRatio, worstWhere);
    }

    private void runCase(Path dir) throws IOException {
        JsonNode info = JSON.readTree(dir.resolve("case.json").toFile());
        JsonNode error = info.get("expect_error");
        Path modelDir = Files.isDirectory(dir.resolve("output")) ? dir.resolve("output") : dir;
        if (error != null && !error.isNull()) {
            LsgException e = assertThrows(LsgException.class, () -> {
                if (Files.exists(modelDir.resolve("config.json"))) {
                    run(modelDir, dir, info);
                } else {
                    LsgConfig.fromJson(info.get("config_overrides"), dir + "/case.json");
                }
            });
            assertFalse(e.getMessage().isBlank());
            System.out.println("parity: " + dir.getFileName() + " refused as expected: " + e.getMessage());
            return;
        }
        ModelOutputs out = run(modelDir, dir, info);
        try (SafeTensors ref = SafeTensors.open(dir.resolve("outputs.safetensors"))) {
            int compared = 0;
            for (String name : ref.names()) {
                if (name.endsWith(".f64") || name.startsWith("grad")) {
                    continue;
                }
                FloatTensor expected = ref.floats(name);
                FloatTensor actual = out.get(name);
                assertNotNull(actual, dir.getFileName() + ": output " + name + " not produced");
                assertArrayEquals(expected.shape(), actual.shape(), dir.getFileName() + ": shape of " + name);
                compare(dir.getFileName() + "/" + name, expected.data(), actual.data());
                compared++;
            }
            assertTrue(compared > 0, dir.getFileName() + ": no outputs compared");
        }
    }

    private ModelOutputs run(Path modelDir, Path caseDir, JsonNode info) {
        LsgModel model = LsgModel.load(modelDir);
        assertEquals(info.get("class").asText(), model.architecture());
        try (SafeTensors inputs = SafeTensors.open(caseDir.resolve("inputs.safetensors"))) {
            boolean hidden = info.path("call").path("output_hidden_states").asBoolean(false);
            return model.forward(NamedInputs.read(inputs).withHiddenStates(hidden));
        }
    }

    private static void compare(String where, float[] expected, float[] actual) {
        Tolerance.Worst worst = Tolerance.PARITY.compare(expected, actual);
        synchronized (ParityTest.class) {
            if (worst.ratio() > worstRatio) {
                worstRatio = worst.ratio();
                worstWhere = where + "[" + worst.index() + "]";
            }
        }
        if (!worst.within()) {
            fail(where + ": element " + worst.index() + " is " + worst.actual() + ", reference " + worst.expected()
                    + " (error " + worst.error() + " over the tolerance 2e-5 + 2e-5|ref|)");
        }
    }
}
