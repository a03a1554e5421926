package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.hub.DefaultModel;
import org.lsg4j.hub.HubEnvironment;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.Pooling;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.TextInput;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without {@code --model}, the commands run the default model (all-MiniLM-L6-v2 converted to LSG), made
 * from the jar in lsg4j's cache, and embed as sentence-transformers does for it: mean pooling, then unit
 * length.
 */
class DefaultModelCommandTest {
    private static final String TEXT = "The committee approved the budget for the new library.";

    /** The default model's sentence embedding of a text (mean pooling, normalised), through the pipeline. */
    static float[] sentenceEmbedding(String text) {
        TaskModel model = TaskModel.load(DefaultModel.resolve(CliRun.TEST_CACHE, line -> { }), Head.BASE);
        return new EmbeddingPipeline(model, w -> { }).run(TextInput.of(text), model.sentenceEmbedding()).vector();
    }

    @Test
    void embedWithoutAModelGivesTheSentenceTransformersEmbedding() {
        float[] expected = sentenceEmbedding(TEXT);
        JsonNode v = CliRun.run("embed", TEXT).expectExit(0).json().get(0);
        assertEquals(384, v.size());
        double norm = 0;
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], v.get(j).floatValue(), 0f, "component " + j);
            norm += v.get(j).doubleValue() * v.get(j).doubleValue();
        }
        assertEquals(1.0, norm, 1e-6, "normalised, as the model's Normalize module says");

        // options still win over the model's modules
        JsonNode raw = CliRun.run("embed", "--no-normalize", TEXT).expectExit(0).json().get(0);
        JsonNode cls = CliRun.run("embed", "--pooling", "cls", "--no-normalize", TEXT).expectExit(0).json().get(0);
        double rawNorm = 0;
        for (int j = 0; j < 384; j++) {
            rawNorm += raw.get(j).doubleValue() * raw.get(j).doubleValue();
        }
        rawNorm = Math.sqrt(rawNorm);
        assertTrue(Math.abs(rawNorm - 1) > 0.01, "not normalised: " + rawNorm);
        for (int j = 0; j < 384; j++) {
            assertEquals(expected[j], raw.get(j).doubleValue() / rawNorm, 1e-6, "the same direction, component " + j);
        }
        assertTrue(!cls.equals(raw), "cls pooling differs from mean pooling");
        TaskModel model = TaskModel.load(DefaultModel.resolve(CliRun.TEST_CACHE, line -> { }), Head.BASE);
        assertEquals(Pooling.MEAN, model.sentenceEmbedding().pooling());
    }

    @Test
    void infoWithoutAModelDescribesTheDefaultModel() {
        CliRun r = CliRun.run("info").expectExit(0);
        assertTrue(r.out().startsWith("model:          " + CliRun.TEST_CACHE.resolve("models").resolve(DefaultModel.NAME)),
                r.out());
        assertTrue(r.out().contains("architecture:   LSGBertModel\n"), r.out());
        assertTrue(r.out().contains("max tokens:     4096 (max_position_embeddings 4096)\n"), r.out());
        assertTrue(r.out().contains("embeddings:     mean pooling, normalized (sentence-transformers modules.json),"
                + " max_seq_length 4096\n"), r.out());
    }

    @Test
    void theFirstUseMakesTheModelAndSaysSoOnStderr(@TempDir Path home) {
        HubEnvironment hub = HubEnvironment.of(Map.of("HF_HUB_OFFLINE", "1", "HF_HUB_CACHE", "/nonexistent-lsg-test-cache"),
                Path.of("/nonexistent-home"));
        CliContext fresh = new CliContext(hub, new ByteArrayInputStream(new byte[0]), false, home);
        CliRun r = CliRun.withContext(fresh, "info").expectExit(0);
        assertTrue(r.err().contains("lsg: making the default model (all-MiniLM-L6-v2 converted to LSG, 4096 tokens) in "
                + home.resolve("models").resolve(DefaultModel.NAME) + ", once\n"), r.err());
        assertTrue(r.err().contains("lsg: default model ready\n"), r.err());
        CliRun again = CliRun.withContext(fresh, "info").expectExit(0);
        assertTrue(!again.err().contains("making"), "made once: " + again.err());
    }
}
