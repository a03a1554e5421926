package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lsg classify}: fixture cases replayed through the command line, JSON lines errors, long documents. */
class ClassifyCommandTest {
    private static final String NAME = "text-cls-3labels-pooling-b32";
    private static final String MODEL = CliRun.model(NAME);

    /** Texts and pairs with top_k, function_to_apply and return_all_scores: the printed JSON is the pipeline's. */
    @Test
    void replaysSingleInputFixtureCases() {
        int replayed = 0;
        for (JsonNode c : CliRun.cases(NAME)) {
            JsonNode in = c.get("inputs");
            JsonNode kwargs = c.get("kwargs");
            if (in.isArray() || kwargs.has("truncation")) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of("classify", "--model", MODEL));
            if (kwargs.has("top_k")) {
                args.addAll(List.of("--top-k", kwargs.get("top_k").isNull() ? "all" : kwargs.get("top_k").asText()));
            }
            if (kwargs.has("function_to_apply")) {
                args.addAll(List.of("--function-to-apply", kwargs.get("function_to_apply").asText()));
            }
            if (kwargs.path("return_all_scores").asBoolean(false)) {
                args.add("--return-all-scores");
            }
            if (in.isObject()) {
                args.addAll(List.of("--pair", in.get("text_pair").asText(), in.get("text").asText()));
            } else {
                args.add(in.asText());
            }
            CliRun r = CliRun.run(args.toArray(String[]::new)).expectExit(0);
            CliRun.assertJsonClose(c.get("output"), r.json().get(0), 1e-5, 0, c.get("note").asText());
            replayed++;
        }
        assertTrue(replayed >= 20, "replayed " + replayed);
    }

    private static String lines(String... texts) {
        StringBuilder sb = new StringBuilder();
        for (String t : texts) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }

    @Test
    void malformedLineStopsWithItsNumber() {
        CliRun r = CliRun.withStdin(lines("{\"text\": \"Good.\"}", "{\"text\": oops}", "{\"text\": \"Bad.\"}"),
                "classify", "--model", MODEL, "-").expectExit(Main.EXIT_BAD_INPUT);
        r.errContains("line 2: malformed JSON");
        assertEquals(1, r.json().size(), "the line before the error is printed");
    }

    @Test
    void malformedLinesAreSkippedOnRequest() {
        CliRun r = CliRun.withStdin(lines("{\"text\": \"Good.\"}", "[1, 2]", "", "{\"pair\": \"x\"}", "{\"text\": \"Bad.\"}"),
                "classify", "--model", MODEL, "--on-error", "skip", "--batch-size", "2", "--input", "-")
                .expectExit(Main.EXIT_BAD_INPUT);
        r.errContains("skipped line 2: expected a JSON object").errContains("skipped line 4: expected a JSON object with a string \"text\"")
                .errContains("2 inputs were skipped");
        // one output line per input line: the skipped ones as errors in their places
        assertEquals(4, r.json().size());
        assertTrue(r.json().get(0).isArray() && r.json().get(0).get(0).has("label"));
        assertTrue(r.json().get(1).get("error").asText().startsWith("line 2: expected a JSON object"), r.out());
        assertTrue(r.json().get(2).get("error").asText().startsWith("line 4: expected a JSON object with a string"), r.out());
        assertTrue(r.json().get(3).isArray() && r.json().get(3).get(0).has("label"));
    }

    @Test
    void documentLongerThanTheModelIsTruncatedWithAWarning() {
        String longText = "The river rose higher every day. ".repeat(700);
        CliRun r = CliRun.run("classify", "--model", MODEL, "--top-k", "all", longText).expectExit(0);
        r.errContains("more than the 4096 tokens the model takes: truncated to 4096 tokens");
        assertEquals(3, r.json().get(0).size());
    }

    @Test
    void pairsFromJsonLinesKeepThePairShape() {
        CliRun r = CliRun.withStdin(lines("{\"text\": \"Is the museum open on Mondays?\", \"pair\": \"The museum is open every day.\"}"),
                "classify", "--model", MODEL, "-").expectExit(0);
        assertTrue(r.json().get(0).isObject(), "a pair gives a bare dict, as the pipeline");
    }

    @Test
    void badTopKIsBadInput() {
        CliRun.run("classify", "--model", MODEL, "--top-k", "some", "x").expectExit(Main.EXIT_BAD_INPUT)
                .errContains("--top-k must be a number >= 0 or all");
    }
}
