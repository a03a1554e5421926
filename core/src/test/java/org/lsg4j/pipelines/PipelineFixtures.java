package org.lsg4j.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The cases of ../shared/fixtures/pipelines/MODEL/pipeline_cases.jsonl and how to compare with them. */
final class PipelineFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("lsg.shared", "../shared")).resolve("fixtures/pipelines");

    private PipelineFixtures() {
    }

    /** One pipeline call of the fixtures. */
    record Case(String model, int line, String task, JsonNode inputs, JsonNode kwargs, JsonNode output,
                JsonNode modelInputs, JsonNode warnings, String note) {
        String name() {
            return model + ":" + line + " " + note;
        }

        boolean has(String kwarg) {
            return kwargs.has(kwarg);
        }

        /** The inputs as a list (a bare string or dict is one input). */
        List<TextInput> textInputs() {
            List<TextInput> out = new ArrayList<>();
            for (JsonNode in : inputs.isArray() ? inputs : JSON.createArrayNode().add(inputs)) {
                out.add(in.isTextual() ? TextInput.of(in.textValue())
                        : TextInput.of(in.get("text").textValue(), in.get("text_pair").textValue()));
            }
            return out;
        }

        /** Warnings as the pipeline words them, without the logger prefix. */
        List<String> warningMessages() {
            List<String> out = new ArrayList<>();
            warnings.forEach(w -> out.add(w.textValue().replaceFirst("^(WARNING \\S+: |UserWarning: )", "")));
            return out;
        }
    }

    static Stream<Case> cases(String model, String task) {
        List<String> lines;
        try {
            lines = Files.readAllLines(ROOT.resolve(model).resolve("pipeline_cases.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode c = read(lines.get(i));
            if (c.get("task").textValue().equals(task)) {
                out.add(new Case(model, i + 1, task, c.get("inputs"), c.get("kwargs"), c.get("output"),
                        c.get("model_inputs"), c.get("warnings"), c.get("note").textValue()));
            }
        }
        assertTrue(!out.isEmpty(), "no " + task + " cases for " + model);
        return out.stream();
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode toJson(Object result) {
        return JSON.valueToTree(result);
    }

    /** How close a number must be. */
    interface Tolerance {
        boolean close(double expected, double actual);
    }

    static Tolerance relative(double rel) {
        return (e, a) -> Math.abs(a - e) <= rel * Math.abs(e);
    }

    static Tolerance absolute(double abs) {
        return (e, a) -> Math.abs(a - e) <= abs;
    }

    static Tolerance absoluteAndRelative(double abs, double rel) {
        return (e, a) -> Math.abs(a - e) <= abs + rel * Math.abs(e);
    }

    /** Same structure, field order, strings and integers; floating-point numbers within the tolerance. */
    static void assertJsonClose(JsonNode expected, JsonNode actual, Tolerance tolerance) {
        compare(expected, actual, tolerance, "$");
    }

    private static void compare(JsonNode e, JsonNode a, Tolerance tolerance, String path) {
        if (e.isFloatingPointNumber()) {
            if (!a.isNumber() || !tolerance.close(e.doubleValue(), (float) a.doubleValue())) {
                fail(path + ": expected " + e + ", found " + a);
            }
            return;
        }
        assertEquals(e.getNodeType(), a.getNodeType(), path + ": expected " + e + ", found " + a);
        if (e.isArray()) {
            assertEquals(e.size(), a.size(), path + ": array size");
            for (int i = 0; i < e.size(); i++) {
                compare(e.get(i), a.get(i), tolerance, path + "[" + i + "]");
            }
        } else if (e.isObject()) {
            assertEquals(names(e), names(a), path + ": fields");
            e.fieldNames().forEachRemaining(f -> compare(e.get(f), a.get(f), tolerance, path + "." + f));
        } else {
            assertEquals(e, a, path);
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /**
     * Checks the input_ids (and attention_mask when it has zeros) of every forward call against
     * the case's model_inputs, building the batches as the pipelines do.
     */
    static void assertModelInputs(Case c, TaskModel model, List<Encoding> encodings, int batchSize) {
        List<List<Encoding>> batches = BatchRunner.batches(encodings, batchSize);
        assertEquals(c.modelInputs().size(), batches.size(), "forward calls");
        for (int b = 0; b < batches.size(); b++) {
            ModelInputs in = model.inputs(batches.get(b));
            JsonNode expected = c.modelInputs().get(b);
            assertEquals(expected.get("input_ids").toString(), JSON.valueToTree(nested(in.inputIds().data(), in.inputIds().dim(1))).toString(),
                    "input_ids of forward call " + b);
            long[] mask = in.attentionMask().data();
            if (expected.has("attention_mask")) {
                assertEquals(expected.get("attention_mask").toString(), JSON.valueToTree(nested(mask, in.attentionMask().dim(1))).toString(),
                        "attention_mask of forward call " + b);
            } else {
                assertTrue(Stream.of(mask).allMatch(m -> Arrays.stream(m).allMatch(v -> v == 1)),
                        "forward call " + b + " has padding, the pipeline's had none");
            }
        }
    }

    private static long[][] nested(long[] flat, int width) {
        long[][] out = new long[flat.length / width][];
        for (int r = 0; r < out.length; r++) {
            out[r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
        }
        return out;
    }
}
