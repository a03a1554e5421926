package org.lsg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ids echoed in the output, skipped inputs in their places, plain-text and whole-file inputs; on core's tiny-mlm. */
class InputFormatsTest {
    private static final String MODEL = MainCommandTest.tinyMlm();

    @TempDir
    Path tmp;

    @Test
    void idsAreEchoedAndSkippedLinesKeepTheirPlace() {
        String lines = """
                {"id": "a", "text": "One."}
                {"id": "b", "text": 5}
                oops
                {"text": "Two."}
                {"id": 7, "text": "Three."}
                """;
        CliRun r = CliRun.withStdin(lines, "embed", "--model", MODEL, "--batch-size", "2", "--on-error", "skip", "-");
        assertEquals(2, r.exit(), r.err());
        List<JsonNode> out = r.json();
        assertEquals(5, out.size(), r.out());
        assertEquals("a", out.get(0).get("id").asText());
        assertEquals(32, out.get(0).path("result").size(), r.out() + r.err());
        assertEquals("b", out.get(1).get("id").asText());
        assertTrue(out.get(1).get("error").asText().startsWith("line 2: \"text\" must be a string"), r.out());
        assertTrue(out.get(2).get("error").asText().startsWith("line 3: malformed JSON"), r.out());
        assertTrue(out.get(3).isArray(), "a line without an id gets the pipeline's JSON as it is");
        assertEquals(7, out.get(4).get("id").asInt());
        assertEquals(List.of("id", "result"), fieldNames(out.get(4)));
        assertTrue(r.err().contains("lsg: 2 inputs were skipped"), r.err());
    }

    @Test
    void theIdFieldCanBeNamed() {
        CliRun r = CliRun.withStdin("{\"key\": \"k1\", \"id\": \"not me\", \"text\": \"Hi\"}\n", "embed", "--model", MODEL,
                "--id-field", "key", "-");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("key", "result"), fieldNames(r.json().get(0)));
        assertEquals("k1", r.json().get(0).get("key").asText());
        assertEquals(32, r.json().get(0).get("result").size());
    }

    @Test
    void plainTextLinesAreDocuments() throws Exception {
        Path docs = Files.writeString(tmp.resolve("docs.lines"), "First document.\n\n{\"not\": \"json\"} is text here\n");
        CliRun r = CliRun.run("embed", "--model", MODEL, "--input-format", "text", "--input", docs.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(2, r.json().size());
        CliRun one = CliRun.run("embed", "--model", MODEL, "First document.");
        assertEquals(one.json().get(0), r.json().get(0), "a line embeds as the same text given as an argument");
    }

    @Test
    void aTxtFileIsOneDocument() throws Exception {
        String text = "A report.\nIts second line.\n\nA new paragraph.\n";
        Path doc = Files.writeString(tmp.resolve("report.txt"), text);
        CliRun r = CliRun.run("embed", "--model", MODEL, "--input", doc.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.json().size());
        assertEquals(CliRun.run("embed", "--model", MODEL, text).json(), r.json());
        CliRun lines = CliRun.run("embed", "--model", MODEL, "--input-format", "text", "--input", doc.toString());
        assertEquals(3, lines.json().size());
        assertEquals(2, CliRun.run("embed", "--model", MODEL, "--input-format", "csv", "--input", doc.toString()).exit());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
