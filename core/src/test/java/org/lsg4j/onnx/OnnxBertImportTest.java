package org.lsg4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.tensor.FloatTensor;

/**
 * The import of the real all-MiniLM-L6-v2 ONNX file (from LangChain4j's jar on the test classpath):
 * the folder's files, config.json against what transformers writes, every ONNX initializer found again
 * in model.safetensors (bit for bit, transposed where the export transposed it), and the tokenizer files.
 *
 * <p>{@code all-minilm-l6-v2-config.json} (test resource) was written by transformers 4.45.2:
 * {@code BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
 * intermediate_size=1536, hidden_act='gelu', max_position_embeddings=512, type_vocab_size=2,
 * layer_norm_eps=1e-12, pad_token_id=0, architectures=['BertModel']).save_pretrained(dir)}, the values of
 * the sentence-transformers repository's config.json.
 */
class OnnxBertImportTest {
    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    static Path shared;
    private static Path folder;
    private static OnnxBertImport.Imported imported;

    @BeforeAll
    static void importOnce() throws IOException {
        folder = shared.resolve("all-minilm-l6-v2");
        try (InputStream onnx = MiniLmFiles.open(MiniLmFiles.ONNX_RESOURCE)) {
            imported = OnnxBertImport.importTo(onnx, MiniLmFiles.tokenizerJson(), folder);
        }
    }

    @Test
    void writesAWholeHuggingFaceFolderAndNothingElse() throws IOException {
        assertEquals(folder, imported.folder());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(Set.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                    "special_tokens_map.json", "vocab.txt"), files.map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()));
        }
        assertEquals(List.of(folder), list(shared), "no temporary folder left beside the checkpoint");
    }

    @Test
    void configIsWhatBertConfigSavePretrainedWrites() throws IOException {
        JsonNode expected;
        try (InputStream in = OnnxBertImportTest.class.getResourceAsStream("all-minilm-l6-v2-config.json")) {
            expected = JSON.readTree(in);
        }
        JsonNode actual = JSON.readTree(folder.resolve("config.json").toFile());
        assertEquals(expected, actual);
        assertEquals(fieldNames(expected), fieldNames(actual), "the same keys in the same (sorted) order");
        assertEquals(new BertArchitecture(30522, 384, 6, 12, 1536, "gelu", 512, 2, 1e-12), imported.architecture());
        assertEquals(0, imported.padTokenId());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Every ONNX initializer is accounted for: a named one is in model.safetensors under the same name,
     * bit-identical; an anonymous MatMul weight is there transposed, under the name of the module the
     * exporter wrote into the MatMul node's name (a path the mapper itself never reads); the
     * position_ids buffer is the only one left out, with a note.
     */
    @Test
    void everyInitializerIsMappedOrAccountedFor() {
        try (OnnxModel onnx = OnnxModel.open(MiniLmFiles.onnx());
             SafeTensors st = SafeTensors.open(folder.resolve("model.safetensors"))) {
            Map<String, OnnxNode> matMulOf = new java.util.HashMap<>();
            for (OnnxNode n : onnx.graph().nodes()) {
                if (n.opType().equals("MatMul")) {
                    matMulOf.put(n.inputs().get(1), n);
                }
            }
            Set<String> seen = new HashSet<>();
            int transposed = 0;
            for (OnnxTensor t : onnx.graph().initializers().values()) {
                if (t.name().equals("embeddings.position_ids")) {
                    assertFalse(st.contains(t.name()));
                    assertTrue(imported.notes().stream().anyMatch(n -> n.startsWith("embeddings.position_ids: the buffer [1, 512] 0..511")),
                            imported.notes().toString());
                    continue;
                }
                if (t.name().startsWith("onnx::MatMul_")) {
                    String nodeName = matMulOf.get(t.name()).name();   // "/encoder/layer.0/attention/self/query/MatMul"
                    String key = nodeName.substring(1, nodeName.length() - "/MatMul".length()).replace('/', '.') + ".weight";
                    FloatTensor w = st.floats(key);
                    int in = (int) t.dims()[0];
                    int out = (int) t.dims()[1];
                    assertArrayEquals(new int[] {out, in}, w.shape(), key);
                    float[] b = t.floats();
                    for (int i = 0; i < in; i++) {
                        for (int o = 0; o < out; o++) {
                            if (Float.floatToRawIntBits(b[i * out + o]) != Float.floatToRawIntBits(w.data()[o * in + i])) {
                                throw new AssertionError(key + "[" + o + ", " + i + "] differs from " + t.name() + "[" + i + ", " + o + "]");
                            }
                        }
                    }
                    assertTrue(seen.add(key), key);
                    transposed++;
                    continue;
                }
                FloatTensor w = st.floats(t.name());
                assertArrayEquals(t.shape(), w.shape(), t.name());
                assertArrayEquals(t.floats(), w.data(), t.name());
                assertTrue(seen.add(t.name()), t.name());
            }
            assertEquals(36, transposed, "6 layers x (query, key, value, attention output, intermediate, output)");
            assertEquals(onnx.graph().initializers().size() - 1, seen.size());
            assertEquals(seen, Set.copyOf(st.names()), "model.safetensors holds exactly the mapped weights");
            assertEquals(Map.of("format", "pt"), st.metadata());
        }
    }

    /** BertModel's shapes, and a few transposed values read straight from the ONNX tensors. */
    @Test
    void shapesAreBertModelsAndTransposesAreRight() {
        try (OnnxModel onnx = OnnxModel.open(MiniLmFiles.onnx());
             SafeTensors st = SafeTensors.open(folder.resolve("model.safetensors"))) {
            assertEquals(101, st.names().size(), "5 embedding tensors + 6 layers x 16, no pooler");
            Map<String, int[]> shapes = Map.of(
                    "embeddings.word_embeddings.weight", new int[] {30522, 384},
                    "embeddings.position_embeddings.weight", new int[] {512, 384},
                    "embeddings.token_type_embeddings.weight", new int[] {2, 384},
                    "encoder.layer.0.attention.self.query.weight", new int[] {384, 384},
                    "encoder.layer.3.intermediate.dense.weight", new int[] {1536, 384},
                    "encoder.layer.3.intermediate.dense.bias", new int[] {1536},
                    "encoder.layer.5.output.dense.weight", new int[] {384, 1536},
                    "encoder.layer.5.output.LayerNorm.bias", new int[] {384});
            shapes.forEach((key, shape) -> assertArrayEquals(shape, st.info(key).shape(), key));
            assertFalse(st.contains("pooler.dense.weight"));
            assertTrue(imported.notes().stream().anyMatch(n -> n.startsWith("the graph has no pooler")), imported.notes().toString());

            // layer 0's query is onnx::MatMul_787 [in 384, out 384]; layer 0's intermediate is onnx::MatMul_798 [384, 1536]
            float[] q = onnx.graph().initializers().get("onnx::MatMul_787").floats();
            float[] wq = st.floats("encoder.layer.0.attention.self.query.weight").data();
            assertEquals(q[1 * 384 + 0], wq[0 * 384 + 1]);      // W[out 0, in 1] = B[in 1, out 0]
            assertEquals(q[383 * 384 + 7], wq[7 * 384 + 383]);
            float[] up = onnx.graph().initializers().get("onnx::MatMul_798").floats();
            float[] wUp = st.floats("encoder.layer.0.intermediate.dense.weight").data();
            assertEquals(up[5 * 1536 + 1535], wUp[1535 * 384 + 5]);
            assertEquals(up[383 * 1536 + 1000], wUp[1000 * 384 + 383]);
            float[] down = onnx.graph().initializers().get("onnx::MatMul_799").floats();   // [1536, 384]
            float[] wDown = st.floats("encoder.layer.0.output.dense.weight").data();        // [384, 1536]
            assertEquals(down[1535 * 384 + 2], wDown[2 * 1536 + 1535]);
        }
    }

    @Test
    void tokenizerFilesAreTheSentenceTransformersOnes() throws IOException {
        assertArrayEquals(Files.readAllBytes(MiniLmFiles.tokenizerJson()), Files.readAllBytes(folder.resolve("tokenizer.json")));
        // the repository's tokenizer_config.json, without its name_or_path (the model it was trained from)
        assertEquals(JSON.readTree("""
                {"do_lower_case": true, "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
                 "cls_token": "[CLS]", "mask_token": "[MASK]", "tokenize_chinese_chars": true, "strip_accents": null,
                 "do_basic_tokenize": true, "never_split": null, "tokenizer_class": "BertTokenizer",
                 "model_max_length": 512}"""), JSON.readTree(folder.resolve("tokenizer_config.json").toFile()));
        assertEquals(JSON.readTree("""
                {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                 "mask_token": "[MASK]"}"""), JSON.readTree(folder.resolve("special_tokens_map.json").toFile()));
        List<String> vocab = Files.readAllLines(folder.resolve("vocab.txt"));
        assertEquals(30522, vocab.size());
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"),
                List.of(vocab.get(0), vocab.get(100), vocab.get(101), vocab.get(102), vocab.get(103)));
        JsonNode modelVocab = JSON.readTree(MiniLmFiles.tokenizerJson().toFile()).get("model").get("vocab");
        for (int id = 0; id < vocab.size(); id += 997) {
            assertEquals(id, modelVocab.get(vocab.get(id)).asInt(), vocab.get(id));
        }
    }

    @Test
    void refusesAFolderInTheWayAndLeavesItAlone(@TempDir Path dir) throws IOException {
        Path busy = Files.createDirectory(dir.resolve("busy"));
        Files.writeString(busy.resolve("keep.txt"), "mine");
        LsgException e = assertThrows(LsgException.class,
                () -> OnnxBertImport.importTo(MiniLmFiles.onnx(), MiniLmFiles.tokenizerJson(), busy));
        assertEquals(busy + ": the folder exists and is not empty; choose a new folder", e.getMessage());
        assertEquals("mine", Files.readString(busy.resolve("keep.txt")));
        LsgException noParent = assertThrows(LsgException.class,
                () -> OnnxBertImport.importTo(MiniLmFiles.onnx(), MiniLmFiles.tokenizerJson(), dir.resolve("a/b")));
        assertTrue(noParent.getMessage().endsWith("does not exist"), noParent.getMessage());
        assertEquals(List.of(busy), list(dir));
    }

    @Test
    void aBrokenModelLeavesNothingBehind(@TempDir Path dir) throws IOException {
        byte[] head;
        try (InputStream in = MiniLmFiles.open(MiniLmFiles.ONNX_RESOURCE)) {
            head = in.readNBytes(1_000_000);   // cut inside the graph, which is checked to fit before it is read
        }
        Path target = dir.resolve("out");
        LsgException e = assertThrows(LsgException.class,
                () -> OnnxBertImport.importTo(new ByteArrayInputStream(head), MiniLmFiles.tokenizerJson(), target));
        assertEquals("ONNX stream: ModelProto: graph: length 90387579 runs past the end of ModelProto (999977 bytes left)",
                e.getMessage());
        assertEquals(List.of(), list(dir), "no folder, no temporary folder, no spooled copy");
    }

    @Test
    void refusesATokenizerThatIsNotBert(@TempDir Path dir) throws IOException {
        Path roberta = Path.of(System.getProperty("lsg.shared", "../shared"), "tokenizers/roberta-base/tokenizer.json");
        LsgException e = assertThrows(LsgException.class,
                () -> OnnxBertImport.importTo(MiniLmFiles.onnx(), roberta, dir.resolve("out")));
        assertEquals(roberta + ": model: expected a WordPiece model with a vocab, found type 'BPE'", e.getMessage());
        assertEquals(List.of(), list(dir));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
