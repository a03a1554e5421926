package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lsg tokenize} against the roberta-base fixture records. */
class TokenizeCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path SHARED = Path.of(System.getProperty("lsg.shared", "../shared"));
    private static final String MODEL = SHARED.resolve("tokenizers/roberta-base").toString();

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(exit, out.toString(), err.toString());
    }

    /** The first {@code count} fixture records, plus the first one with a character outside the BMP. */
    private static List<JsonNode> records(int count) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (String line : Files.readAllLines(SHARED.resolve("fixtures/tokenizer/roberta-base.jsonl"))) {
            all.add(MAPPER.readTree(line));
        }
        List<JsonNode> out = new ArrayList<>(all.subList(0, count));
        all.stream().filter(r -> r.get("text").asText().codePoints().anyMatch(Character::isSupplementaryCodePoint))
                .findFirst().ifPresent(out::add);
        all.stream().filter(r -> !r.get("pair").isNull()).findFirst().ifPresent(out::add);
        return out;
    }

    @Test
    void singleTextPrintsOneObject() throws IOException {
        for (JsonNode r : records(2)) {
            if (!r.get("pair").isNull()) {
                continue;
            }
            String text = r.get("text").asText();
            Result result = run("tokenize", "--model", MODEL, text);
            assertEquals(0, result.exit(), result.err());
            JsonNode json = MAPPER.readTree(result.out());
            assertEquals(r.get("ids"), json.get("ids"));
            assertEquals(r.get("tokens"), json.get("tokens"));
            assertEquals(utf16(r.get("offsets"), text), json.get("offsets"));
        }
    }

    @Test
    void jsonlGivesOneLinePerInput(@TempDir Path dir) throws IOException {
        List<JsonNode> records = records(20);
        StringBuilder input = new StringBuilder();
        for (JsonNode r : records) {
            var line = MAPPER.createObjectNode().put("text", r.get("text").asText());
            line.set("pair", r.get("pair"));
            input.append(line).append('\n');
        }
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, input);
        Result result = run("tokenize", "--model", MODEL, "--no-special", "--jsonl", file.toString());
        assertEquals(0, result.exit(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals(records.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode json = MAPPER.readTree(lines.get(i));
            assertEquals(records.get(i).get("ids_no_special"), json.get("ids"));
            if (records.get(i).get("pair").isNull()) {
                assertEquals(utf16(records.get(i).get("offsets_no_special"), records.get(i).get("text").asText()),
                        json.get("offsets"));
            }
        }
    }

    /** A BERT vocab.txt folder: lowercased, split at punctuation, ## pieces, type ids 1 from the second text on. */
    @Test
    void wordPieceFolderPrintsTypeIds(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("vocab.txt"), List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "##s", "!"));
        Result result = run("tokenize", "--model", dir.toString(), "--pair", "Worlds!", "Hello");
        assertEquals(0, result.exit(), result.err());
        JsonNode json = MAPPER.readTree(result.out());
        assertEquals(MAPPER.readTree("[2, 5, 3, 6, 7, 8, 3]"), json.get("ids"));
        assertEquals(MAPPER.readTree("[\"[CLS]\", \"hello\", \"[SEP]\", \"world\", \"##s\", \"!\", \"[SEP]\"]"), json.get("tokens"));
        assertEquals(MAPPER.readTree("[[0, 0], [0, 5], [0, 0], [0, 5], [5, 6], [6, 7], [0, 0]]"), json.get("offsets"));
        assertEquals(MAPPER.readTree("[0, 0, 0, 1, 1, 1, 1]"), json.get("type_ids"));
        assertEquals(MAPPER.readTree("[-1, 0, -1, 1, 1, 1, -1]"), json.get("sequence_ids"));
    }

    @Test
    void malformedLineIsReportedWithItsNumber(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"text\": \"fine\"}\n{\"text\": oops}\n");
        Result result = run("tokenize", "--model", MODEL, "--jsonl", file.toString());
        assertEquals(Main.EXIT_BAD_INPUT, result.exit());
        assertTrue(result.err().contains("line 2"), result.err());
        assertEquals(1, result.out().lines().count());
    }

    @Test
    void badArgumentsExitWithTwo(@TempDir Path dir) {
        assertEquals(Main.EXIT_BAD_INPUT, run("tokenize", "--model", MODEL).exit());
        Result missing = run("tokenize", "--model", dir.toString(), "hello");
        assertEquals(Main.EXIT_BAD_INPUT, missing.exit());
        assertTrue(missing.err().contains("tokenizer.json"), missing.err());
    }

    /** Code point offsets of the fixture as UTF-16 indices into {@code text}. */
    private static JsonNode utf16(JsonNode offsets, String text) {
        var out = MAPPER.createArrayNode();
        for (JsonNode o : offsets) {
            out.addArray().add(text.offsetByCodePoints(0, o.get(0).asInt())).add(text.offsetByCodePoints(0, o.get(1).asInt()));
        }
        return out;
    }
}
