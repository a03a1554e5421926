package org.lsg4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Gradients against PyTorch: every case of ../shared/fixtures/lsg-gradients (every parameter
 * trainable, every sparsity type and head) and the gradient cases of lsg-roberta (the model card's
 * recipe: global embeddings and the head). Each {@code grad.<name>} must be within
 * {@code 2e-5 + 2e-5 |ref|} of the float64 twin {@code grad.<name>.f64}, elementwise; the loss
 * ({@code loss} or {@code grad_loss}) likewise relative to its size.
 */
class GradientParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures");
    private static final double ATOL = 2e-5;
    private static final double RTOL = 2e-5;
    private static double worst = 0;
    private static String worstWhere = "none";

    @TestFactory
    Stream<DynamicTest> everyGradientCase() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String set : List.of("lsg-gradients", "lsg-roberta")) {
            Path dir = FIXTURES.resolve(set);
            for (JsonNode c : JSON.readTree(dir.resolve("index.json").toFile()).get("cases")) {
                Path caseDir = dir.resolve(c.get("name").asText());
                JsonNode info = JSON.readTree(caseDir.resolve("case.json").toFile());
                if (info.has("gradients") && !info.get("gradients").isNull()) {
                    tests.add(DynamicTest.dynamicTest(set + "/" + caseDir.getFileName(), () -> runCase(caseDir, info)));
                }
            }
        }
        assertTrue(tests.size() >= 20, "the fixtures hold the gradient cases");
        return tests.stream();
    }

    @AfterAll
    static void report() {
        System.out.printf("gradients: worst |java - ref64| / (2e-5 + 2e-5 |ref64|) = %.4f at %s%n", worst, worstWhere);
    }

    private void runCase(Path dir, JsonNode info) {
        Set<String> trainable = new HashSet<>();
        info.get("gradients").get("trainable").forEach(n -> trainable.add(n.asText()));
        TrainableModel model = TrainableModel.load(dir, null, java.util.Map.of(), trainable::contains);
        ModelOutputs out;
        try (SafeTensors inputs = SafeTensors.open(dir.resolve("inputs.safetensors"));
             Workers workers = Workers.create(2)) {
            out = model.forwardBackward(NamedInputs.read(inputs), workers, 1f);
        }
        try (SafeTensors ref = SafeTensors.open(dir.resolve("outputs.safetensors"))) {
            int compared = 0;
            for (String name : ref.names()) {
                if (!name.startsWith("grad.") || name.endsWith(".f64")) {
                    continue;
                }
                String param = name.substring("grad.".length());
                Parameters.Param p = model.parameters().get(param);
                assertNotNull(p, dir.getFileName() + ": no parameter " + param);
                assertTrue(p.trainable(), param + " should be trainable");
                FloatTensor expected = ref.floats(name + ".f64");
                assertArrayEquals(expected.shape(), p.shape(), param);
                compare(dir.getFileName() + "/" + name, expected.data(), p.grad());
                compared++;
            }
            assertEquals(trainable.size(), compared, dir.getFileName() + ": every trainable parameter compared");
            String lossName = ref.contains("grad_loss") ? "grad_loss" : "loss";
            float expected = ref.floats(lossName + ".f64").data()[0];
            float actual = out.get(lossName).data()[0];
            assertTrue(Math.abs(expected - actual) <= ATOL + RTOL * Math.abs(expected),
                    dir.getFileName() + ": " + lossName + " " + actual + ", reference " + expected);
        }
    }

    private static void compare(String where, float[] expected, float[] actual) {
        double caseWorst = 0;
        int at = 0;
        for (int i = 0; i < expected.length; i++) {
            double ratio = Math.abs(expected[i] - actual[i]) / (ATOL + RTOL * Math.abs(expected[i]));
            if (ratio > caseWorst) {
                caseWorst = ratio;
                at = i;
            }
        }
        synchronized (GradientParityTest.class) {
            if (caseWorst > worst) {
                worst = caseWorst;
                worstWhere = where + "[" + at + "]";
            }
        }
        if (caseWorst > 1) {
            fail(where + ": element " + at + " is " + actual[at] + ", reference (float64) " + expected[at]
                    + " (" + String.format("%.2f", caseWorst) + " times the tolerance 2e-5 + 2e-5|ref|)");
        }
    }

}
