package org.lsg4j.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.io.Checkpoint;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.LsgModel;
import org.lsg4j.tensor.FloatTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every conversion case of the fixtures ({@code convert-*}: a plain checkpoint, the reference
 * converter's arguments and its output) converted again by lsg4j: every tensor within 1e-6 of the
 * reference's and the LSG config keys equal. One exception, from the reference itself: when the
 * source has fewer than 512 usable position rows, the converter completes them with draws from
 * torch's unseeded generator, so the global tokens starting from those draws cannot match anyone's
 * run; for them the test checks the rule (mask word + token type + a draw from the positions'
 * per-column normal), not the values.
 */
class ConversionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures");
    private static final double TOLERANCE = 1e-6;

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyConversionCase() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String set : List.of("lsg-roberta", "lsg-families")) {
            Path dir = FIXTURES.resolve(set);
            for (JsonNode c : JSON.readTree(dir.resolve("index.json").toFile()).get("cases")) {
                Path caseDir = dir.resolve(c.get("name").asText());
                if (Files.isDirectory(caseDir.resolve("input")) && Files.isDirectory(caseDir.resolve("output"))) {
                    tests.add(DynamicTest.dynamicTest(set + "/" + caseDir.getFileName(), () -> convertCase(caseDir)));
                }
            }
        }
        assertTrue(tests.size() >= 4, "the fixtures hold conversion cases");
        return tests.stream();
    }

    private void convertCase(Path caseDir) throws IOException {
        JsonNode call = JSON.readTree(caseDir.resolve("case.json").toFile()).get("converter_call");
        JsonNode args = call.get("arguments");
        ConversionOptions options = ConversionOptions.defaults()
                .withMaxLength(args.get("max_sequence_length").asInt())
                .withGlobalPositionalStride(args.get("global_positional_stride").asInt())
                .withRandomGlobalInit(args.get("random_global_init").asBoolean(), args.get("seed").asLong())
                .withKeepFirstGlobalToken(args.get("keep_first_global_token").asBoolean())
                .withResizeLsg(args.get("resize_lsg").asBoolean())
                .withUseTokenIds(args.get("use_token_ids").asBoolean());
        for (var e : call.get("model_kwargs").properties()) {
            options = options.withConfig(e.getKey(), e.getValue().toString());
        }
        Path out = tmp.resolve(caseDir.getFileName().toString());
        LsgConverter.convert(caseDir.resolve("input"), out, options, w -> { });

        Path ref = caseDir.resolve("output");
        compareConfigs(ref, out);
        try (Checkpoint expected = Checkpoint.open(ref); Checkpoint actual = Checkpoint.open(out)) {
            assertEquals(expected.keys(), actual.keys(), "the converted checkpoint's keys");
            for (String key : expected.keys()) {
                FloatTensor e = expected.get(key);
                FloatTensor a = actual.get(key);
                assertArrayEquals(e.shape(), a.shape(), key);
                if (key.endsWith("global_embeddings.weight")) {
                    compareGlobals(caseDir, key, e, a);
                } else {
                    assertWithin(key, e.data(), a.data(), 0, e.data().length);
                }
            }
        }
        // the result runs as the reference's own output does (same classes, same keys)
        assertEquals(LsgModel.load(ref).architecture(), LsgModel.load(out).architecture());
    }

    private static void compareConfigs(Path ref, Path out) throws IOException {
        JsonNode expected = JSON.readTree(ref.resolve("config.json").toFile());
        JsonNode actual = JSON.readTree(out.resolve("config.json").toFile());
        for (String key : List.of("adaptive", "block_size", "sparse_block_size", "sparsity_factor", "sparsity_type",
                "num_global_tokens", "mask_first_token", "pool_with_global", "lsh_num_pre_rounds",
                "base_model_prefix", "architectures", "auto_map", "max_position_embeddings", "model_type")) {
            assertEquals(expected.get(key), actual.get(key), "config.json " + key);
        }
        var names = expected.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!key.equals("_name_or_path")) {
                assertEquals(expected.get(key), actual.get(key), "config.json " + key);
            }
        }
        LsgConfig c = LsgConfig.load(out.resolve("config.json"));
        assertTrue(c.lsg());
    }

    /**
     * Rows whose starting position row exists in the source equal the reference's; the others are
     * the mask word's embedding (+ token type 0) plus a normal draw, checked by their column means.
     */
    private static void compareGlobals(Path caseDir, String key, FloatTensor expected, FloatTensor actual) {
        int e = expected.shape()[1];
        float[] ref = expected.data();
        float[] got = actual.data();
        int exact = 0;
        List<Integer> drawn = new ArrayList<>();
        for (int r = 0; r < 512; r++) {
            double worst = 0;
            for (int k = 0; k < e; k++) {
                worst = Math.max(worst, Math.abs(ref[r * e + k] - got[r * e + k]));
            }
            if (worst <= TOLERANCE) {
                exact++;
            } else {
                drawn.add(r);
            }
        }
        int usable = usablePositions(caseDir);
        int expectedExact = usable >= 512 ? 512 : usable;
        assertEquals(expectedExact, exact, key + ": rows that start from a source position row match exactly");
        if (drawn.isEmpty()) {
            return;
        }
        // the drawn rows of both conversions share their deterministic part; compare the column means
        for (int k = 0; k < e; k++) {
            double meanRef = 0;
            double meanGot = 0;
            for (int r : drawn) {
                meanRef += ref[r * e + k];
                meanGot += got[r * e + k];
            }
            meanRef /= drawn.size();
            meanGot /= drawn.size();
            assertTrue(Math.abs(meanRef - meanGot) < 0.05, key + " column " + k + ": drawn rows' mean "
                    + meanGot + " vs the reference's " + meanRef);
        }
    }

    private static int usablePositions(Path caseDir) {
        LsgConfig src = LsgConfig.load(caseDir.resolve("input").resolve("config.json"));
        return src.maxTokens();
    }

    private static void assertWithin(String key, float[] expected, float[] actual, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Math.abs(expected[i] - actual[i]) > TOLERANCE) {
                throw new AssertionError(key + "[" + i + "] is " + actual[i] + ", reference " + expected[i]);
            }
        }
    }

    @Test
    void refusesWhatTheReferenceCannotConvertAndWritesNothing() throws IOException {
        Path bert = FIXTURES.resolve("lsg-families/convert-bert-mlm-512/input");
        Path out = tmp.resolve("out");
        assertRefused(bert, out, ConversionOptions.defaults().withMaxLength(64), "smaller than the 128 tokens");
        assertRefused(bert, out, ConversionOptions.defaults().withMaxLength(1000), "block_size 128 does not divide");
        assertRefused(bert, out, ConversionOptions.defaults().withMaxLength(512).withConfig("block_size", "32")
                .withConfig("sparsity_factor", "3"), "block_size 32 must be divisible by sparsity_factor 3");
        assertRefused(bert, out, ConversionOptions.defaults().withMaxLength(512).withConfig("blocksize", "32"),
                "--config blocksize");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "x");
        assertRefused(bert, out, ConversionOptions.defaults().withMaxLength(512), "not empty");
        assertEquals(List.of(out.resolve("keep.txt")), Files.list(out).toList());

        Path bart = Files.createDirectories(tmp.resolve("bart"));
        Files.writeString(bart.resolve("config.json"), "{\"model_type\": \"bart\", \"architectures\": [\"BartModel\"]}");
        assertRefused(bart, tmp.resolve("out2"), ConversionOptions.defaults(), "model_type \"bart\" is not a family");
        try (Stream<Path> left = Files.list(tmp)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().contains("lsg-convert")), "no temporary folder left");
        }
    }

    private static void assertRefused(Path source, Path out, ConversionOptions options, String words) {
        LsgException e = assertThrows(LsgException.class, () -> LsgConverter.convert(source, out, options, w -> { }));
        assertTrue(e.getMessage().contains(words), e.getMessage());
        assertFalse(Files.exists(out.resolve("config.json")), "nothing written for: " + e.getMessage());
    }

    /**
     * The reference sets model_kwargs on the config after its validation (from_pretrained's
     * kwargs), so its config.json holds them as given; seen in the converter's output for
     * num_global_tokens 0 and 600, sparsity_type "random", pool_with_global false with mask_first_token.
     */
    @Test
    void lsgKeysAreWrittenAsGivenAndValidatedOnLoad() throws IOException {
        Path bert = FIXTURES.resolve("lsg-families/convert-bert-mlm-512/input");
        Path out = tmp.resolve("as-given");
        LsgConverter.convert(bert, out, ConversionOptions.defaults().withMaxLength(512).withConfig("block_size", "32")
                .withConfig("num_global_tokens", "0").withConfig("sparsity_type", "\"random\"")
                .withConfig("mask_first_token", "true").withConfig("pool_with_global", "false"), w -> { });
        JsonNode json = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals(0, json.get("num_global_tokens").asInt());
        assertEquals("random", json.get("sparsity_type").asText());
        assertFalse(json.get("pool_with_global").asBoolean());
        LsgConfig c = LsgConfig.load(out.resolve("config.json"));
        assertEquals(1, c.numGlobalTokens());
        assertEquals(org.lsg4j.model.SparsityType.NONE, c.sparsityType());
        assertTrue(c.poolWithGlobal());

        Path many = tmp.resolve("as-given-600");
        LsgConverter.convert(bert, many, ConversionOptions.defaults().withMaxLength(512).withConfig("block_size", "32")
                .withConfig("num_global_tokens", "600"), w -> { });
        assertEquals(600, JSON.readTree(many.resolve("config.json").toFile()).get("num_global_tokens").asInt());
        assertEquals(512, LsgConfig.load(many.resolve("config.json")).numGlobalTokens());
    }

    /**
     * A pytorch_model.bin holds the tied decoder weight and the decoder bias beside the head's bias;
     * the reference's save_pretrained writes the head's bias alone, so the key set is the one of a
     * safetensors source (here the public case's reference output).
     */
    @Test
    void tiedDecoderCopiesAreLeftOutAsSavePretrainedDoes() throws IOException {
        Path caseDir = FIXTURES.resolve("lsg-roberta/convert-roberta-mlm-1024");
        ConversionOptions options = ConversionOptions.defaults().withMaxLength(1024).withConfig("block_size", "32")
                .withConfig("sparse_block_size", "32").withConfig("sparsity_factor", "4")
                .withConfig("num_global_tokens", "3");
        java.util.Set<String> expected;
        java.util.Map<String, Object> tensors = new java.util.TreeMap<>();
        try (Checkpoint ref = Checkpoint.open(caseDir.resolve("output"));
             Checkpoint src = Checkpoint.open(caseDir.resolve("input"))) {
            expected = ref.keys();
            for (String k : src.keys()) {
                tensors.put(k, src.get(k));
            }
        }
        FloatTensor bias = (FloatTensor) tensors.get("lm_head.bias");
        tensors.put("lm_head.decoder.bias", bias);
        tensors.put("lm_head.decoder.weight", tensors.get("roberta.embeddings.word_embeddings.weight"));
        Path both = copyWithWeights(caseDir.resolve("input"), tmp.resolve("both"), tensors);
        Path out = tmp.resolve("both-out");
        LsgConverter.convert(both, out, options, w -> { });
        try (Checkpoint c = Checkpoint.open(out)) {
            assertEquals(expected, c.keys());
        }

        tensors.remove("lm_head.bias");   // only the decoder's name: written under the head's
        Path decoderOnly = copyWithWeights(caseDir.resolve("input"), tmp.resolve("decoder-only"), tensors);
        Path out2 = tmp.resolve("decoder-only-out");
        LsgConverter.convert(decoderOnly, out2, options, w -> { });
        try (Checkpoint c = Checkpoint.open(out2)) {
            assertEquals(expected, c.keys());
            assertArrayEquals(bias.data(), c.get("lm_head.bias").data());
        }
    }

    /**
     * A source with relative positions converts as the reference converts it: the LSG classes have no
     * distance embeddings (from_pretrained drops them, save_pretrained does not write them) and the
     * converted model keeps position_embedding_type, whose positions LSG attention skips.
     */
    @Test
    void relativePositionTablesAreDropped() throws IOException {
        Path bert = FIXTURES.resolve("lsg-families/convert-bert-mlm-512/input");
        java.util.Map<String, Object> tensors = new java.util.TreeMap<>();
        try (Checkpoint src = Checkpoint.open(bert)) {
            for (String k : src.keys()) {
                tensors.put(k, src.get(k));
            }
        }
        tensors.put("bert.encoder.layer.0.attention.self.distance_embedding.weight",
                new FloatTensor(new int[]{255, 32}, new float[255 * 32]));
        Path relative = copyWithWeights(bert, tmp.resolve("relative"), tensors);
        com.fasterxml.jackson.databind.node.ObjectNode config =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(relative.resolve("config.json").toFile());
        config.put("position_embedding_type", "relative_key");
        Files.writeString(relative.resolve("config.json"), config.toString());
        Path out = tmp.resolve("relative-out");
        LsgConverter.convert(relative, out, ConversionOptions.defaults().withMaxLength(512).withConfig("block_size", "32"),
                w -> { });
        try (Checkpoint c = Checkpoint.open(out)) {
            assertFalse(c.keys().stream().anyMatch(k -> k.contains("distance_embedding")), c.keys().toString());
        }
        assertEquals("relative_key", JSON.readTree(out.resolve("config.json").toFile()).get("position_embedding_type").asText());
        assertTrue(LsgModel.load(out).warnings().stream().anyMatch(w -> w.contains("relative_key")));
    }

    private static Path copyWithWeights(Path from, Path to, java.util.Map<String, Object> tensors) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().endsWith(".safetensors")) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        org.lsg4j.io.SafeTensors.write(to.resolve("model.safetensors"), tensors, java.util.Map.of("format", "pt"));
        return to;
    }

    @Test
    void resizingAnLsgModelKeepsItsGlobalTokens() throws IOException {
        Path lsg = FIXTURES.resolve("lsg-roberta/convert-roberta-mlm-1024/output");
        Path out = tmp.resolve("resized");
        LsgConverter.Result r = LsgConverter.convert(lsg, out, ConversionOptions.defaults().withMaxLength(2048)
                .withResizeLsg(true), w -> { });
        assertEquals(2048, r.config().maxTokens());
        assertEquals(3, r.config().numGlobalTokens(), "the source's LSG keys stay");
        try (Checkpoint a = Checkpoint.open(lsg); Checkpoint b = Checkpoint.open(out)) {
            String g = "roberta.embeddings.global_embeddings.weight";
            assertArrayEquals(a.get(g).data(), b.get(g).data());
            float[] before = a.get("roberta.embeddings.position_embeddings.weight").data();
            float[] after = b.get("roberta.embeddings.position_embeddings.weight").data();
            assertEquals(2050 * 32, after.length);
            // rows 0-1 kept, then rows 2.. repeat with period 1024
            assertArrayEquals(Arrays.copyOfRange(before, 2 * 32, 1026 * 32), Arrays.copyOfRange(after, 1026 * 32, 2050 * 32));
        }
        assertFalse(Files.exists(out.resolve("tokenizer_config.json")), "no tokenizer in, none out");
    }

    @Test
    void theTokenizerIsCopiedWithTheNewLength() throws IOException {
        Path out = tmp.resolve("with-tokenizer");
        LsgConverter.convert(FIXTURES.resolve("lsg-roberta/convert-roberta-mlm-1024/input"), out,
                ConversionOptions.defaults().withMaxLength(1024).withConfig("block_size", "32"), w -> { });
        JsonNode tc = JSON.readTree(out.resolve("tokenizer_config.json").toFile());
        assertEquals(1024, tc.get("model_max_length").asInt());
        assertTrue(Files.isRegularFile(out.resolve("vocab.json")) && Files.isRegularFile(out.resolve("merges.txt")));
    }
}
