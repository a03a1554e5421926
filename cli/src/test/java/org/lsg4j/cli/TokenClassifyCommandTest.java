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

/** {@code lsg token-classify} on the lsh-f2-tokcls fixture model (64 tokens, labels LABEL_0..4). */
class TokenClassifyCommandTest {
    private static final String TEXT = "Ada met Bob in Paris.";

    @TempDir
    static Path dir;
    private static String model;

    @BeforeAll
    static void folder() throws IOException {
        model = TinyTaskFolders.create("lsh-f2-tokcls", dir.resolve("tokcls"));
    }

    private static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void noneListsEveryTokenWithHuggingFaceFields() {
        JsonNode out = CliRun.run("token-classify", "--model", model, "--ignore-labels=", TEXT).expectExit(0).json().get(0);
        assertEquals(TEXT.length(), out.size(), "one token per byte with this tokenizer");
        for (JsonNode e : out) {
            assertEquals(List.of("entity", "score", "index", "word", "start", "end"), fields(e));
            assertTrue(e.get("entity").asText().startsWith("LABEL_"));
            int start = e.get("start").asInt();
            assertEquals(TEXT.substring(start, e.get("end").asInt()), e.get("word").asText().replace("Ġ", ""));
        }
        JsonNode kept = CliRun.run("token-classify", "--model", model, "--ignore-labels", "LABEL_0,LABEL_1", TEXT)
                .expectExit(0).json().get(0);
        kept.forEach(e -> assertTrue(!List.of("LABEL_0", "LABEL_1").contains(e.get("entity").asText())));
    }

    @Test
    void aggregationGivesGroups() {
        for (String strategy : List.of("simple", "first", "average", "max")) {
            JsonNode out = CliRun.run("token-classify", "--model", model, "--aggregation-strategy", strategy,
                    "--ignore-labels=", TEXT).expectExit(0).json().get(0);
            assertTrue(out.size() > 0);
            for (JsonNode g : out) {
                assertEquals(List.of("entity_group", "score", "word", "start", "end"), fields(g));
                // A lone "Ġ" token (a space: this tokenizer has no merges) has an empty span after its space.
                assertEquals(TEXT.substring(g.get("start").asInt(), g.get("end").asInt()).strip(), g.get("word").asText().strip());
            }
        }
    }

    @Test
    void jsonLinesAndLongDocuments() {
        String longText = "A long document that needs several windows of sixty-four tokens. ".repeat(5);
        String lines = "{\"text\": \"" + TEXT + "\"}\n{\"text\": \"" + longText + "\"}\n";
        CliRun r = CliRun.withStdin(lines, "token-classify", "--model", model, "--batch-size", "2",
                "--ignore-labels=", "--stride", "8", "-").expectExit(0);
        assertEquals(2, r.json().size());
        assertEquals(longText.length(), r.json().get(1).size(), "windows merged: one entity per byte");
    }

    @Test
    void badInputsAreReported() {
        CliRun.run("token-classify", "--model", model, "--aggregation-strategy", "mean", TEXT)
                .expectExit(Main.EXIT_BAD_INPUT).errContains("unknown aggregation strategy \"mean\"");
        CliRun.run("token-classify", "--model", model, "--pair", "x", TEXT)
                .expectExit(Main.EXIT_BAD_INPUT).errContains("argument 1: token classification takes single texts");
        CliRun.run("token-classify", "--model", CliRun.model("mlm-norm-b16"), TEXT)
                .expectExit(Main.EXIT_BAD_INPUT).errContains("has no LSGRobertaForTokenClassification head");
    }
}
