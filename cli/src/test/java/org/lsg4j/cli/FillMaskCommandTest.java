package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lsg fill-mask}: fixture cases replayed through the command line, and bad input. */
class FillMaskCommandTest {
    private static final String MLM = CliRun.model("mlm-norm-b16");

    /** Single-text cases with top_k and targets: the printed JSON is the pipeline's output. */
    @Test
    void replaysSingleTextFixtureCases() {
        int replayed = 0;
        for (JsonNode c : CliRun.cases("mlm-norm-b16")) {
            JsonNode kwargs = c.get("kwargs");
            if (!c.get("task").asText().equals("fill-mask") || !c.get("inputs").isTextual()
                    || kwargs.has("tokenizer_kwargs") || c.get("model_inputs").get(0).get("input_ids").get(0).size() > 600) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of("fill-mask", "--model", MLM));
            if (kwargs.has("top_k")) {
                args.addAll(List.of("--top-k", kwargs.get("top_k").asText()));
            }
            if (kwargs.has("targets")) {
                JsonNode t = kwargs.get("targets");
                List<String> targets = new ArrayList<>();
                (t.isArray() ? t : CliRun.JSON.createArrayNode().add(t)).forEach(x -> targets.add(x.asText()));
                if (targets.stream().anyMatch(x -> x.isEmpty() || x.contains(","))) {
                    continue;
                }
                args.add("--targets=" + String.join(",", targets));
            }
            args.add(c.get("inputs").asText());
            CliRun r = CliRun.run(args.toArray(String[]::new)).expectExit(0);
            assertEquals(1, r.json().size());
            CliRun.assertJsonClose(c.get("output"), r.json().get(0), 0, 1e-4, c.get("note").asText());
            for (JsonNode w : c.get("warnings")) {
                r.errContains(w.asText().replaceFirst("^WARNING \\S+: ", ""));
            }
            replayed++;
        }
        assertTrue(replayed >= 15, "replayed " + replayed);
    }

    /** The batch_size 2 case, as JSON lines on stdin: one line per input, same results. */
    @Test
    void streamsJsonLinesInBatches() {
        JsonNode c = CliRun.cases("mlm-norm-b16").stream()
                .filter(x -> x.get("kwargs").has("batch_size") && x.get("task").asText().equals("fill-mask"))
                .findFirst().orElseThrow();
        StringBuilder stdin = new StringBuilder();
        c.get("inputs").forEach(text -> stdin.append(CliRun.JSON.createObjectNode().put("text", text.asText())).append('\n'));
        CliRun r = CliRun.withStdin(stdin.toString(), "fill-mask", "--model", MLM, "--top-k", "3", "--batch-size", "2", "-")
                .expectExit(0);
        assertEquals(c.get("output").size(), r.json().size());
        for (int i = 0; i < r.json().size(); i++) {
            CliRun.assertJsonClose(c.get("output").get(i), r.json().get(i), 0, 1e-4, "input " + i);
        }
    }

    @Test
    void inputWithoutMaskIsBadInput() {
        CliRun.run("fill-mask", "--model", MLM, "Paris is the <mask> of France.", "No mask here.")
                .expectExit(Main.EXIT_BAD_INPUT)
                .errContains("argument 2: No mask_token (<mask>) found on the input");
    }

    @Test
    void inputWithoutMaskIsSkippedOnRequest() {
        CliRun r = CliRun.run("fill-mask", "--model", MLM, "--on-error", "skip", "--top-k", "1", "No mask here.",
                "Paris is the <mask> of France.").expectExit(Main.EXIT_BAD_INPUT);
        r.errContains("skipped argument 1: No mask_token").errContains("1 input was skipped");
        assertEquals(2, r.json().size());
        assertTrue(r.json().get(0).get("error").asText().startsWith("argument 1: No mask_token"), r.out());
        assertEquals(8598, r.json().get(1).get(0).get("token").asInt());
    }

    @Test
    void sequenceClassificationCheckpointHasNoMaskedLmHead() {
        CliRun.run("fill-mask", "--model", CliRun.model("text-cls-3labels-pooling-b32"), "Paris is the <mask>.")
                .expectExit(Main.EXIT_BAD_INPUT)
                .errContains("LSGRobertaForSequenceClassification")
                .errContains("no LSGRobertaForMaskedLM head");
    }

    @Test
    void missingFolderSaysWhereItLooked() {
        CliRun.run("fill-mask", "--model", "/no/such/folder", "Paris is the <mask>.")
                .expectExit(Main.EXIT_BAD_INPUT)
                .errContains("'/no/such/folder' is neither an existing folder nor a Hub model id");
    }

    @Test
    void unknownHubIdSaysWhereItLooked() {
        CliRun.run("fill-mask", "--model", "nobody/no-such-model", "Paris is the <mask>.")
                .expectExit(Main.EXIT_BAD_INPUT)
                .errContains("/nonexistent-lsg-test-cache")
                .errContains("models--nobody--no-such-model");
    }

    @Test
    void noInputIsBadInput() {
        CliRun.run("fill-mask", "--model", MLM).expectExit(Main.EXIT_BAD_INPUT).errContains("no input");
    }
}
