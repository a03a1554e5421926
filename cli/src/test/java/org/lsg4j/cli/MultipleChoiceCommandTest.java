package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code lsg multiple-choice} on the block_stride-f2-mc fixture model (40 tokens). */
class MultipleChoiceCommandTest {
    @TempDir
    static Path dir;
    private static String model;

    @BeforeAll
    static void folder() throws IOException {
        model = TinyTaskFolders.create("block_stride-f2-mc", dir.resolve("mc"));
    }

    private static void assertResult(JsonNode r, List<String> choices) {
        List<String> names = new ArrayList<>();
        r.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("choices", "scores", "best"), names);
        assertEquals(choices, List.of(CliRun.JSON.convertValue(r.get("choices"), String[].class)));
        double sum = 0;
        int best = 0;
        for (int i = 0; i < choices.size(); i++) {
            sum += r.get("scores").get(i).asDouble();
            best = r.get("scores").get(i).asDouble() > r.get("scores").get(best).asDouble() ? i : best;
        }
        assertEquals(1.0, sum, 1e-6);
        assertEquals(best, r.get("best").asInt());
    }

    @Test
    void scoresTheChoicesOfPromptsFromOptionsAndJsonLines() {
        JsonNode r = CliRun.run("multiple-choice", "--model", model, "--prompt", "The cat sat on the",
                "--choice", "mat.", "--choice", "moon.").expectExit(0).json().get(0);
        assertResult(r, List.of("mat.", "moon."));
        String lines = "{\"prompt\": \"Pick one\", \"choices\": [\"a\", \"b\", \"c\"]}\n"
                + "{\"prompt\": \"" + "A prompt far longer than forty bytes, which must be truncated. " + "\", \"choices\": [\"x\"]}\n";
        CliRun many = CliRun.withStdin(lines, "multiple-choice", "--model", model, "--input", "-").expectExit(0)
                .errContains("lsg: warning: a prompt with its longest choice has");
        assertResult(many.json().get(0), List.of("a", "b", "c"));
        assertResult(many.json().get(1), List.of("x"));
    }

    @Test
    void badInputsAreReported() {
        CliRun.withStdin("{\"prompt\": \"p\", \"choices\": []}\n{\"prompt\": \"p\", \"choices\": [1]}\n",
                "multiple-choice", "--model", model, "--input", "-", "--on-error", "skip").expectExit(Main.EXIT_BAD_INPUT)
                .errContains("skipped line 1: expected a non-empty array of strings \"choices\"")
                .errContains("skipped line 2: \"choices\" must hold strings, found 1");
        CliRun.run("multiple-choice", "--model", model, "--prompt", "p").expectExit(Main.EXIT_BAD_INPUT)
                .errContains("give --prompt and at least one --choice");
        CliRun.run("multiple-choice", "--model", model, "--prompt", "p", "--choice", "a", "--input", "-")
                .expectExit(Main.EXIT_BAD_INPUT).errContains("not both");
    }
}
