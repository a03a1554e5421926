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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lsg qa} on the stride-f4-qa fixture model (90 tokens). */
class QaCommandTest {
    private static final String QUESTION = "Where is the cat?";
    private static final String CONTEXT = "The cat is sitting on the mat in Paris.";

    @TempDir
    static Path dir;
    private static String model;

    @BeforeAll
    static void folder() throws IOException {
        model = TinyTaskFolders.create("stride-f4-qa", dir.resolve("qa"));
    }

    private static void assertAnswer(JsonNode a, String context) {
        List<String> names = new ArrayList<>();
        a.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("score", "start", "end", "answer"), names);
        assertEquals(context.substring(a.get("start").asInt(), a.get("end").asInt()), a.get("answer").asText());
        assertTrue(a.get("score").asDouble() > 0 && a.get("score").asDouble() <= 1);
    }

    @Test
    void oneAnswerIsABareObjectSeveralAList() {
        JsonNode one = CliRun.run("qa", "--model", model, "--question", QUESTION, "--context", CONTEXT)
                .expectExit(0).json().get(0);
        assertAnswer(one, CONTEXT);
        JsonNode three = CliRun.run("qa", "--model", model, "--question", QUESTION, "--context", CONTEXT, "--top-k", "3",
                "--max-answer-len", "4").expectExit(0).json().get(0);
        assertEquals(3, three.size());
        three.forEach(a -> assertAnswer(a, CONTEXT));
        JsonNode best = CliRun.run("qa", "--model", model, "--question", QUESTION, "--context", CONTEXT,
                "--max-answer-len", "4").expectExit(0).json().get(0);
        assertEquals(best, three.get(0), "top-1 is the first of top-3");
        assertTrue(three.get(0).get("score").asDouble() >= three.get(1).get("score").asDouble());
    }

    @Test
    void jsonLinesWithLongContextsAndImpossibleAnswers() {
        String longContext = "The museum opens at nine and closes at six, every day but Monday. ".repeat(4);
        String lines = "{\"question\": \"" + QUESTION + "\", \"context\": \"" + CONTEXT + "\"}\n"
                + "{\"question\": \"When does it open?\", \"context\": \"" + longContext + "\"}\n";
        CliRun r = CliRun.withStdin(lines, "qa", "--model", model, "--input", "-", "--doc-stride", "20",
                "--handle-impossible-answer", "--top-k", "2", "--batch-size", "2").expectExit(0);
        assertEquals(2, r.json().size());
        r.json().get(0).forEach(a -> assertAnswer(a, CONTEXT));
        r.json().get(1).forEach(a -> assertTrue(a.get("answer").asText().isEmpty() && a.get("start").asInt() == 0
                || longContext.substring(a.get("start").asInt(), a.get("end").asInt()).equals(a.get("answer").asText())));
    }

    @Test
    void badInputsAreReported() {
        CliRun.run("qa", "--model", CliRun.model("mlm-norm-b16"), "--question", QUESTION, "--context", CONTEXT)
                .expectExit(Main.EXIT_BAD_INPUT)
                .errContains("the checkpoint is a LSGRobertaForMaskedLM (config.json architectures), it has no "
                        + "LSGRobertaForQuestionAnswering head");
        CliRun.run("qa", "--model", model, "--question", QUESTION).expectExit(Main.EXIT_BAD_INPUT)
                .errContains("give --question and --context");
        CliRun.withStdin("{\"question\": \"Why?\"}\n{\"question\": \"\", \"context\": \"x\"}\n",
                "qa", "--model", model, "--input", "-", "--on-error", "skip").expectExit(Main.EXIT_BAD_INPUT)
                .errContains("skipped line 1: expected a JSON object with a string \"context\"")
                .errContains("skipped line 2: the question must not be empty");
        CliRun.run("qa", "--model", model, "--question", QUESTION, "--context", CONTEXT, "--top-k", "0")
                .expectExit(Main.EXIT_BAD_INPUT).errContains("--top-k and --max-answer-len must be at least 1");
    }
}
