package org.lsg4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.kernels.Workers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The backward pass against central finite differences of the loss, on every case of the
 * families' fixtures (the families have no gradient fixtures from the reference: this is where
 * their embeddings, projections, shared layers and heads are checked) and on a few RoBERTa cases,
 * in eval mode and with dropout. For each parameter a few elements are nudged by +-h and the loss
 * is evaluated in float64 (a base model's sum of squares is summed in double from its float32
 * outputs), so the difference quotient is accurate to well under 2% of the gradient; a wrong
 * backward formula is off by far more. The selection of norm and lsh sparsity is piecewise
 * constant, so a nudge can flip it and break the quotient: their cases run with bos_pooling
 * instead (their gradients are checked against PyTorch by {@link GradientParityTest}).
 */
class FiniteDifferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures");
    private static final double H = 1e-2;
    /** Parameters checked per case, spread over the model (embeddings, layers, head). */
    private static final int PARAMETERS = 10;

    @TestFactory
    Stream<DynamicTest> everyFamilyCase() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        Path dir = FIXTURES.resolve("lsg-families");
        for (JsonNode c : JSON.readTree(dir.resolve("index.json").toFile()).get("cases")) {
            Path caseDir = dir.resolve(c.get("name").asText());
            Path model = caseDir.resolve("output").toFile().isDirectory() ? caseDir.resolve("output") : caseDir;
            tests.add(DynamicTest.dynamicTest(caseDir.getFileName().toString(),
                    () -> check(model, caseDir.resolve("inputs.safetensors"), TrainableModel.Mode.EVAL, continuous(model))));
        }
        for (String name : List.of("bos_pooling-adaptive-heavy-pad-hidden", "pooling-f2-seqcls", "stride-f4-qa",
                "block_stride-f2-mc", "mask-first-token-base")) {
            Path caseDir = FIXTURES.resolve("lsg-roberta").resolve(name);
            tests.add(DynamicTest.dynamicTest(name, () -> check(caseDir, caseDir.resolve("inputs.safetensors"),
                    TrainableModel.Mode.EVAL, continuous(caseDir))));
        }
        return tests.stream();
    }

    /** bos_pooling in place of a sparsity type whose selection is piecewise constant (norm, lsh). */
    private static Map<String, String> continuous(Path model) {
        String type = LsgConfig.load(model.resolve("config.json")).sparsityType().configName();
        return type.equals("norm") || type.equals("lsh") || type.equals("bos_pooling")
                ? Map.of("sparsity_type", "pooling") : Map.of();
    }

    @Test
    void dropoutIsPartOfTheFunctionDifferentiated() {
        Path c = FIXTURES.resolve("lsg-families/bert-lsh-seqcls");
        check(c, c.resolve("inputs.safetensors"), new TrainableModel.Mode(true, 42, false),
                Map.of("hidden_dropout_prob", "0.3", "attention_probs_dropout_prob", "0", "sparsity_type", "\"bos_pooling\""));
    }

    @Test
    void attentionProbabilityDropoutIsPartOfTheFunctionDifferentiated() {
        Path c = FIXTURES.resolve("lsg-families/bert-lsh-seqcls");
        Map<String, String> attention = Map.of("hidden_dropout_prob", "0", "attention_probs_dropout_prob", "0.3",
                "sparsity_type", "\"bos_pooling\"");
        check(c, c.resolve("inputs.safetensors"), new TrainableModel.Mode(true, 42, false), attention);
        assertTrue(differs(gradients(c, new TrainableModel.Mode(true, 42, false), attention),
                gradients(c, TrainableModel.Mode.EVAL, attention)), "attention dropout changes the gradients");
    }

    @Test
    void recomputingLayersGivesTheSameGradients() {
        Path c = FIXTURES.resolve("lsg-gradients/grad-lsh-base");
        float[][] kept = gradients(c, TrainableModel.Mode.EVAL);
        float[][] recomputed = gradients(c, new TrainableModel.Mode(false, 0, true));
        assertEquals(kept.length, recomputed.length);
        for (int i = 0; i < kept.length; i++) {
            assertArrayEquals(kept[i], recomputed[i], "parameter " + i);
        }
    }

    @Test
    void aSeedGivesTheSameMasksAndAnotherSeedOthers() {
        Path c = FIXTURES.resolve("lsg-families/electra-stride-qa");
        Map<String, String> drop = Map.of("hidden_dropout_prob", "0.2", "attention_probs_dropout_prob", "0.2");
        float[][] a = gradients(c, new TrainableModel.Mode(true, 7, false), drop);
        float[][] b = gradients(c, new TrainableModel.Mode(true, 7, true), drop);
        float[][] other = gradients(c, new TrainableModel.Mode(true, 8, false), drop);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "same seed, recomputed, parameter " + i);
        }
        assertTrue(differs(a, other), "another seed drops other elements");
        assertTrue(differs(a, gradients(c, TrainableModel.Mode.EVAL, drop)), "dropout changes the gradients");
    }

    private static boolean differs(float[][] a, float[][] b) {
        for (int i = 0; i < a.length; i++) {
            if (!java.util.Arrays.equals(a[i], b[i])) {
                return true;
            }
        }
        return false;
    }

    private static float[][] gradients(Path dir, TrainableModel.Mode mode) {
        return gradients(dir, mode, Map.of());
    }

    private static float[][] gradients(Path dir, TrainableModel.Mode mode, Map<String, String> overrides) {
        TrainableModel m = TrainableModel.load(dir, null, overrides, n -> true);
        try (SafeTensors in = SafeTensors.open(dir.resolve("inputs.safetensors")); Workers w = Workers.create(2)) {
            m.forwardBackward(NamedInputs.read(in), w, 1f, mode);
        }
        return m.parameters().all().stream().map(p -> p.grad().clone()).toArray(float[][]::new);
    }

    private static void check(Path dir, Path inputs, TrainableModel.Mode mode, Map<String, String> overrides) {
        TrainableModel m = TrainableModel.load(dir, null, overrides, n -> true);
        ModelInputs in;
        try (SafeTensors file = SafeTensors.open(inputs)) {
            in = NamedInputs.read(file);
        }
        try (Workers w = Workers.create(2)) {
            ModelOutputs out = m.forwardBackward(in, w, 1f, mode);
            String lossName = out.get("loss") != null ? "loss" : "grad_loss";
            double lossValue = Math.abs(loss(m, in, w, mode, lossName));
            SplittableRandom random = new SplittableRandom(dir.getFileName().toString().hashCode());
            List<Parameters.Param> params = new ArrayList<>(m.parameters().all());
            int checked = 0;
            for (int k = 0; k < params.size(); k += Math.max(1, params.size() / PARAMETERS)) {
                Parameters.Param p = params.get(k);
                float[] g = p.grad().clone();
                double largest = 0;
                for (float v : g) {
                    largest = Math.max(largest, Math.abs(v));
                }
                for (int trial = 0; trial < 2; trial++) {
                    int i = largestOf(g, random);
                    double fd = difference(m, p, i, in, w, mode, lossName);
                    // rounding bounds how close the quotient can come: a head's loss is one float32 (a few
                    // ulps over the step), a sum of squares carries about 1e-8 of its size; so do kinks
                    // (ReLU) within the step, a few percent of the tensor's largest gradient
                    double noise = lossName.equals("loss") ? 4 * Math.ulp((float) lossValue) / (2 * H)
                            : 2e-8 * lossValue / H;
                    double tolerance = 0.05 * Math.abs(g[i]) + 0.02 * largest + noise;
                    if (Math.abs(fd - g[i]) > tolerance) {
                        fail(dir.getFileName() + ": d" + lossName + "/d" + p.name() + "[" + i + "] is " + g[i]
                                + " by backward, " + fd + " by finite differences (tolerance " + tolerance + ")");
                    }
                    checked++;
                }
            }
            assertTrue(checked >= 2 * Math.min(PARAMETERS, params.size()) - 2, "checked " + checked);
        }
    }

    /** An element with a gradient worth checking: the largest of a few random picks. */
    private static int largestOf(float[] g, SplittableRandom random) {
        int best = random.nextInt(g.length);
        for (int k = 0; k < 16; k++) {
            int i = random.nextInt(g.length);
            if (Math.abs(g[i]) > Math.abs(g[best])) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The derivative by Richardson extrapolation of central differences at h and 2h, (4 D(h) - D(2h)) / 3,
     * which cancels the h^2 error term: a step large enough to keep float32 rounding small.
     */
    private static double difference(TrainableModel m, Parameters.Param p, int i, ModelInputs in, Workers w,
                                     TrainableModel.Mode mode, String lossName) {
        return (4 * central(m, p, i, in, w, mode, lossName, H) - central(m, p, i, in, w, mode, lossName, 2 * H)) / 3;
    }

    private static double central(TrainableModel m, Parameters.Param p, int i, ModelInputs in, Workers w,
                                  TrainableModel.Mode mode, String lossName, double h) {
        float original = p.value()[i];
        double[] losses = new double[2];
        double[] at = new double[2];
        for (int side = 0; side < 2; side++) {
            p.value()[i] = (float) (original + (side == 0 ? h : -h));
            at[side] = p.value()[i];   // the nudged value float32 can hold
            m.refresh();
            losses[side] = loss(m, in, w, mode, lossName);
        }
        p.value()[i] = original;
        m.refresh();
        return (losses[0] - losses[1]) / (at[0] - at[1]);
    }

    /**
     * The loss: the head's own (one float, accurate to 1e-7 of itself), or the sum of squares summed
     * in double; in eval mode from a forward pass alone.
     */
    private static double loss(TrainableModel m, ModelInputs in, Workers w, TrainableModel.Mode mode, String lossName) {
        ModelOutputs out = mode.dropout() ? m.forwardBackward(in, w, 0f, mode) : m.model().forward(in, w);
        if (lossName.equals("loss")) {
            return out.get("loss").data()[0];
        }
        double sum = 0;
        for (float v : out.get("last_hidden_state").data()) {
            sum += (double) v * v;
        }
        return sum;
    }
}
