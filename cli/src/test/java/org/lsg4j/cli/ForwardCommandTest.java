package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.tensor.LongTensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lsg forward} end to end: it reproduces reference cases through files, and every kind of
 * bad input gets one clear line on stderr, exit code 2, and no output file.
 */
class ForwardCommandTest {
    private static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures", "lsg-roberta");

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result lsg(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private Result forward(Path model, Path inputs, String... extra) {
        String[] base = {"forward", "--model", model.toString(), "--inputs", inputs.toString(),
                "--output", tmp.resolve("out.safetensors").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return lsg(args);
    }

    @Test
    void reproducesReferenceCasesThroughFiles() {
        for (String name : new String[]{"norm-f2-base-long-hidden", "lsh-mc", "qa-positions-out-of-range",
                "seqcls-regression", "bos_pooling-adaptive-heavy-pad-hidden"}) {
            Path c = FIXTURES.resolve(name);
            Result r = forward(c, c.resolve("inputs.safetensors"), "--hidden-states",
                    "--compare", c.resolve("outputs.safetensors").toString());
            assertEquals(0, r.code(), name + ": " + r.out() + r.err());
            assertFalse(r.out().contains("MISMATCH") || r.out().contains("MISSING"), r.out());
            assertTrue(r.out().contains(" ok "), r.out());
            assertTrue(Files.exists(tmp.resolve("out.safetensors")));
        }
    }

    /** Every forward case of every family, through files: lsg forward picks the family and head from config.json. */
    @TestFactory
    Stream<DynamicTest> reproducesEveryFamilyThroughFiles() throws IOException {
        Path families = FIXTURES.resolveSibling("lsg-families");
        JsonNode index = new ObjectMapper().readTree(families.resolve("index.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : index.get("cases")) {
            Path dir = families.resolve(c.get("name").asText());
            Path model = Files.isDirectory(dir.resolve("output")) ? dir.resolve("output") : dir;
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                Result r = forward(model, dir.resolve("inputs.safetensors"), "--hidden-states",
                        "--compare", dir.resolve("outputs.safetensors").toString());
                assertEquals(0, r.code(), r.out() + r.err());
                assertFalse(r.out().contains("MISMATCH") || r.out().contains("MISSING"), r.out());
            }));
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    @Test
    void readsPytorchModelBin() throws IOException {
        Path c = FIXTURES.resolve("norm-f2-base-long-hidden");
        Path model = Files.createDirectory(tmp.resolve("bin-only"));
        Files.copy(c.resolve("config.json"), model.resolve("config.json"));
        Files.copy(c.resolve("pytorch_model.bin"), model.resolve("pytorch_model.bin"));
        Result r = forward(model, c.resolve("inputs.safetensors"), "--hidden-states",
                "--compare", c.resolve("outputs.safetensors").toString());
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void reportsAMismatch() {
        Path c = FIXTURES.resolve("norm-f2-base-long-hidden");
        Path other = FIXTURES.resolve("adaptive-false-base");
        Result r = forward(c, c.resolve("inputs.safetensors"), "--compare", other.resolve("outputs.safetensors").toString());
        assertEquals(Main.EXIT_MISMATCH, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("SHAPE") || r.out().contains("MISMATCH"), r.out());
    }

    // ---- bad input: one line, exit 2, no output file ----

    private void assertRefused(Result r, String... words) {
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.out() + r.err());
        String line = r.err().strip();
        assertFalse(line.contains("\n"), "one line expected: " + line);
        assertTrue(line.startsWith("lsg: error: "), line);
        assertFalse(line.contains("Exception"), "no stack trace or exception names: " + line);
        for (String w : words) {
            assertTrue(line.contains(w), "message should mention '" + w + "': " + line);
        }
        assertFalse(Files.exists(tmp.resolve("out.safetensors")), "no output file on error");
    }

    private Path copyModel(String name) throws IOException {
        Path src = FIXTURES.resolve(name);
        Path dst = Files.createDirectory(tmp.resolve("model-" + name));
        for (String f : new String[]{"config.json", "model.safetensors"}) {
            Files.copy(src.resolve(f), dst.resolve(f));
        }
        return dst;
    }

    private Path inputs(String name) {
        return FIXTURES.resolve(name).resolve("inputs.safetensors");
    }

    @Test
    void missingModelFolder() {
        assertRefused(forward(tmp.resolve("nope"), inputs("norm-f2-base-long-hidden")), "nope", "neither an existing folder");
    }

    @Test
    void missingConfig() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        Files.delete(m.resolve("config.json"));
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "config.json", "not found");
    }

    @Test
    void missingWeights() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        Files.delete(m.resolve("model.safetensors"));
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "model.safetensors", "pytorch_model.bin");
    }

    @Test
    void missingInputsFile() {
        Path c = FIXTURES.resolve("norm-f2-base-long-hidden");
        assertRefused(forward(c, tmp.resolve("absent.safetensors")), "absent.safetensors");
    }

    @Test
    void malformedConfigJson() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        Files.writeString(m.resolve("config.json"), "{\"hidden_size\": 32,, }");
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "config.json", "malformed JSON", "line 1");
    }

    @Test
    void configFailingValidation() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        String json = Files.readString(m.resolve("config.json")).replace("\"sparsity_factor\": 2", "\"sparsity_factor\": 3");
        Files.writeString(m.resolve("config.json"), json);
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "config.json", "block_size 16", "sparsity_factor 3");
    }

    @Test
    void configKeyOfWrongType() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        String json = Files.readString(m.resolve("config.json")).replace("\"block_size\": 16", "\"block_size\": \"16\"");
        Files.writeString(m.resolve("config.json"), json);
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "block_size", "integer");
    }

    @Test
    void weightOfWrongShape() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        String json = Files.readString(m.resolve("config.json")).replace("\"intermediate_size\": 128", "\"intermediate_size\": 64");
        Files.writeString(m.resolve("config.json"), json);
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "intermediate.dense.weight", "[128, 32]", "[64, 32]");
    }

    @Test
    void truncatedSafetensors() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        byte[] bytes = Files.readAllBytes(m.resolve("model.safetensors"));
        Files.write(m.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "model.safetensors");
    }

    @Test
    void headerLengthPastTheEnd() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1 << 20).putLong(0);
        Files.write(m.resolve("model.safetensors"), b.array());
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "model.safetensors", "header");
    }

    private static void writeRawSafetensors(Path file, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(file, b.array());
    }

    @Test
    void overlappingOffsets() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        writeRawSafetensors(m.resolve("model.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "model.safetensors", "overlap");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        writeRawSafetensors(m.resolve("model.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "model.safetensors", "'a'");
    }

    @Test
    void dtypeAndShapeNotMatchingTheBytes() throws IOException {
        Path m = copyModel("norm-f2-base-long-hidden");
        writeRawSafetensors(m.resolve("model.safetensors"),
                "{\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "model.safetensors", "'a'");
    }

    @Test
    void pickleWithADisallowedGlobal() throws IOException {
        Path m = Files.createDirectory(tmp.resolve("evil"));
        Files.copy(FIXTURES.resolve("norm-f2-base-long-hidden/config.json"), m.resolve("config.json"));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            // PROTO 2, GLOBAL os.system, SHORT_BINUNICODE "touch pwned", TUPLE1, REDUCE, STOP
            z.write(new byte[]{(byte) 0x80, 2});
            z.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
            byte[] arg = ("touch " + tmp.resolve("pwned")).getBytes(StandardCharsets.US_ASCII);
            z.write(new byte[]{(byte) 0x8c, (byte) arg.length});
            z.write(arg);
            z.write(new byte[]{(byte) 0x85, 'R', '.'});
            z.closeEntry();
        }
        Files.write(m.resolve("pytorch_model.bin"), zip.toByteArray());
        assertRefused(forward(m, inputs("norm-f2-base-long-hidden")), "pytorch_model.bin", "os.system");
        assertFalse(Files.exists(tmp.resolve("pwned")));
    }

    private Path editedInputs(String caseName, String tensor, LongTensor replacement) {
        Path out = tmp.resolve("edited-" + tensor + ".safetensors");
        try (SafeTensors in = SafeTensors.open(inputs(caseName))) {
            Map<String, Object> tensors = new java.util.LinkedHashMap<>();
            for (String n : in.names()) {
                tensors.put(n, in.longs(n));
            }
            tensors.put(tensor, replacement);
            SafeTensors.write(out, tensors, Map.of());
        }
        return out;
    }

    @Test
    void tokenIdOutsideTheVocabulary() {
        long[] ids = new long[80];
        ids[5] = 1000;
        Path in = editedInputs("norm-f2-base-long-hidden", "input_ids", new LongTensor(new int[]{1, 80}, ids));
        Path in2 = editedInputs("norm-f2-base-long-hidden", "attention_mask", new LongTensor(new int[]{1, 80}, new long[80]));
        assertRefused(forward(FIXTURES.resolve("norm-f2-base-long-hidden"), in2), "attention_mask", "shape");
        assertRefused(lsg("forward", "--model", FIXTURES.resolve("norm-f2-base-long-hidden").toString(),
                "--inputs", in.toString(), "--output", tmp.resolve("out.safetensors").toString()), "input_ids", "1000", "vocab_size");
    }

    @Test
    void sequenceLongerThanThePositionTable() {
        // max_position_embeddings 82: at most 80 tokens
        long[] ids = new long[96];
        java.util.Arrays.fill(ids, 5);
        Path in = tmp.resolve("long.safetensors");
        SafeTensors.write(in, Map.of("input_ids", new LongTensor(new int[]{1, 96}, ids)), Map.of());
        assertRefused(forward(FIXTURES.resolve("norm-f2-base-long-hidden"), in), "max_position_embeddings 82", "80");
    }

    @Test
    void attentionMaskOfTheWrongShape() {
        Path in = editedInputs("norm-f2-base-long-hidden", "attention_mask", new LongTensor(new int[]{2, 79}, new long[158]));
        assertRefused(forward(FIXTURES.resolve("norm-f2-base-long-hidden"), in), "attention_mask", "[2, 79]", "[2, 80]");
    }

    @Test
    void outputFolderMissing() {
        Path c = FIXTURES.resolve("norm-f2-base-long-hidden");
        Result r = lsg("forward", "--model", c.toString(), "--inputs", c.resolve("inputs.safetensors").toString(),
                "--output", tmp.resolve("no/such/dir/out.safetensors").toString());
        assertRefused(r, "no/such/dir");
    }
}
