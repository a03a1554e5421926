package org.lsg4j.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.convert.ConversionOptions;
import org.lsg4j.convert.LsgConverter;
import org.lsg4j.model.Head;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sentence-transformers folder embeds as its modules say (pooling, Normalize, max_seq_length), the
 * converter carries the modules over, and what lsg4j cannot compute is refused with the file named.
 */
class SentenceTransformersConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures");

    @TempDir
    Path tmp;

    /** The tiny LSG fixture (hidden 32) as a sentence-transformers folder with the given modules. */
    private Path stFolder(SentenceTransformersConfig st) throws IOException {
        Path dir = tmp.resolve("st");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(PipelineFixtures.ROOT.resolve("mlm-norm-b16"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        st.write(dir, 32);
        return dir;
    }

    @Test
    void aFolderEmbedsAsItsModulesSay() throws IOException {
        Path dir = stFolder(new SentenceTransformersConfig(Pooling.CLS, true, 12));
        assertEquals(Optional.of(new SentenceTransformersConfig(Pooling.CLS, true, 12)),
                SentenceTransformersConfig.read(dir, 32));
        TaskModel model = TaskModel.load(dir, Head.BASE);
        assertEquals(EmbeddingOptions.defaults().withPooling(Pooling.CLS).withNormalize(true).withMaxLength(12),
                model.sentenceEmbedding());

        // row 0 of the encoder's output on the first 12 tokens, scaled to unit length
        TextInput text = TextInput.of("Rain fell all afternoon, and the river rose higher than anyone could remember.");
        EmbeddingPipeline pipeline = new EmbeddingPipeline(model, w -> { });
        List<Encoding> encodings = pipeline.encode(List.of(text), model.sentenceEmbedding());
        assertEquals(12, encodings.get(0).length(), "max_seq_length truncates");
        ModelOutputs out = model.run(encodings, false);
        float[] row0 = java.util.Arrays.copyOf(out.get("last_hidden_state").data(), 32);
        double norm = 0;
        for (float x : row0) {
            norm += (double) x * x;
        }
        float[] expected = new float[32];
        for (int j = 0; j < 32; j++) {
            expected[j] = (float) (row0[j] / Math.sqrt(norm));
        }
        assertArrayEquals(expected, pipeline.run(text, model.sentenceEmbedding()).vector(), 1e-7f);

        // a max_seq_length at least the model's length leaves truncation (and its warning) to the model
        assertEquals(null, new SentenceTransformersConfig(Pooling.MEAN, false, 4096).options(model.maxTokens()).maxLength());
    }

    @Test
    void aPlainFolderKeepsTheDefaults() {
        TaskModel model = TaskModel.load(PipelineFixtures.ROOT.resolve("mlm-norm-b16"), Head.BASE);
        assertEquals(EmbeddingOptions.defaults(), model.sentenceEmbedding());
    }

    @Test
    void theConverterCarriesTheModulesOverWithTheNewLength() throws IOException {
        Path source = tmp.resolve("plain");
        Path input = FIXTURES.resolve("lsg-families/convert-bert-mlm-512/input");
        Files.createDirectories(source);
        try (Stream<Path> files = Files.list(input)) {
            for (Path f : files.toList()) {
                Files.copy(f, source.resolve(f.getFileName()));
            }
        }
        new SentenceTransformersConfig(Pooling.MEAN, true, 128).write(source, 32);
        Files.writeString(source.resolve("config_sentence_transformers.json"), "{\"similarity_fn_name\": \"cosine\"}");
        Path out = tmp.resolve("lsg");
        LsgConverter.convert(source, out, ConversionOptions.defaults().withMaxLength(1024)
                .withConfig("block_size", "32"), w -> { });

        assertEquals(Files.readString(source.resolve("modules.json")), Files.readString(out.resolve("modules.json")));
        assertEquals(Files.readString(source.resolve("1_Pooling/config.json")),
                Files.readString(out.resolve("1_Pooling/config.json")));
        assertEquals(Files.readString(source.resolve("config_sentence_transformers.json")),
                Files.readString(out.resolve("config_sentence_transformers.json")));
        JsonNode sbert = JSON.readTree(out.resolve("sentence_bert_config.json").toFile());
        assertEquals(1024, sbert.get("max_seq_length").asInt());
        assertEquals(false, sbert.get("do_lower_case").asBoolean());
        assertEquals(Optional.of(new SentenceTransformersConfig(Pooling.MEAN, true, 1024)),
                SentenceTransformersConfig.read(out, 32));
    }

    @Test
    void whatLsg4jDoesNotComputeIsRefused() throws IOException {
        Path dir = stFolder(new SentenceTransformersConfig(Pooling.MEAN, true, null));
        assertEquals(Optional.of(new SentenceTransformersConfig(Pooling.MEAN, true, null)),
                SentenceTransformersConfig.read(dir, 32));
        assertRefused(dir, 64, "1_Pooling/config.json: word_embedding_dimension: expected the model's hidden size 64, found 32");

        String pooling = Files.readString(dir.resolve("1_Pooling/config.json"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), pooling.replace("\"pooling_mode_max_tokens\" : false",
                "\"pooling_mode_max_tokens\" : true"));
        assertRefused(dir, 32, "1_Pooling/config.json: expected one of pooling_mode_mean_tokens or pooling_mode_cls_token"
                + " set, found pooling_mode_mean_tokens and pooling_mode_max_tokens");
        Files.writeString(dir.resolve("1_Pooling/config.json"), pooling);

        String modules = Files.readString(dir.resolve("modules.json"));
        Files.writeString(dir.resolve("modules.json"), modules.replace("models.Normalize", "models.Dense"));
        assertRefused(dir, 32, "modules.json: module 2 (sentence_transformers.models.Dense): lsg4j computes the"
                + " Transformer, Pooling and Normalize modules only; this model's embeddings need Dense");
        Files.writeString(dir.resolve("modules.json"), modules.replace("\"path\" : \"\"", "\"path\" : \"0_Transformer\""));
        assertRefused(dir, 32, "expected the Transformer first, in the folder itself (path \"\"), found path \"0_Transformer\"");
        Files.writeString(dir.resolve("modules.json"), modules.replace("1_Pooling", "9_Pooling"));
        assertRefused(dir, 32, "9_Pooling/config.json: missing");
        Files.writeString(dir.resolve("modules.json"), "{}");
        assertRefused(dir, 32, "modules.json: expected a JSON array of modules, found object");
        Files.writeString(dir.resolve("modules.json"), modules);

        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": \"long\"}");
        assertRefused(dir, 32, "sentence_bert_config.json: max_seq_length: expected an integer of at least 2, found \"long\"");
        LsgException e = assertThrows(LsgException.class, () -> TaskModel.load(dir, Head.BASE));
        assertTrue(e.getMessage().contains("max_seq_length"), "loading the model reads the modules: " + e.getMessage());
    }

    private static void assertRefused(Path dir, int hidden, String message) {
        LsgException e = assertThrows(LsgException.class, () -> SentenceTransformersConfig.read(dir, hidden));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
