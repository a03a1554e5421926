package org.lsg4j.hub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.LsgModel;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.Pooling;
import org.lsg4j.pipelines.SentenceTransformersConfig;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tensor.LongTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default model is made from the Maven artifact on the classpath, once, and checked by hash:
 * a cached copy is reused; a damaged one is made again.
 */
class DefaultModelTest {
    @TempDir
    Path cache;

    @Test
    void madeOnceFromTheClasspathAndCheckedByHash() throws IOException {
        List<String> progress = new ArrayList<>();
        Path dir = DefaultModel.resolve(cache, progress::add);
        assertTrue(progress.size() >= 3, progress.toString());
        LsgConfig c = LsgConfig.load(dir.resolve("config.json"));
        assertTrue(c.lsg());
        assertEquals("bert", c.family().modelType());
        assertEquals(4096, c.maxTokens());
        assertEquals(384, c.hiddenSize());
        assertEquals("LSGBertModel", c.architecture().className());
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
        // all-MiniLM-L6-v2's sentence-transformers modules: mean pooling then Normalize, max_seq_length the LSG length
        assertEquals(java.util.Optional.of(new SentenceTransformersConfig(Pooling.MEAN, true, 4096)),
                SentenceTransformersConfig.read(dir, 384));
        assertEquals(EmbeddingOptions.defaults().withNormalize(true), TaskModel.load(dir, Head.BASE).sentenceEmbedding());

        long[] ids = new long[600];
        ids[0] = 101;
        for (int i = 1; i < ids.length - 1; i++) {
            ids[i] = 2000 + i;
        }
        ids[ids.length - 1] = 102;
        LsgModel model = LsgModel.load(dir, Head.BASE);
        float[] first = model.forward(ModelInputs.of(new LongTensor(new int[]{1, ids.length}, ids)))
                .get("last_hidden_state").data();
        assertEquals(600 * 384, first.length);

        progress.clear();
        assertEquals(dir, DefaultModel.resolve(cache, progress::add));
        assertTrue(progress.isEmpty(), "a valid cache is used as it is: " + progress);

        Files.writeString(dir.resolve("config.json"), "{}");
        assertEquals(dir, DefaultModel.resolve(cache, progress::add));
        assertTrue(!progress.isEmpty(), "a damaged cache is made again");
        progress.clear();
        Files.writeString(dir.resolve("1_Pooling/config.json"), "{}");
        assertEquals(dir, DefaultModel.resolve(cache, progress::add));
        assertTrue(!progress.isEmpty(), "files in subfolders are checked too");
        float[] again = LsgModel.load(dir, Head.BASE).forward(ModelInputs.of(new LongTensor(new int[]{1, ids.length}, ids)))
                .get("last_hidden_state").data();
        assertArrayEquals(first, again, "the conversion is deterministic");
        try (var left = Files.list(cache.resolve("models"))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("making")), "no work folder left");
        }
    }

    @Test
    void theCacheFollowsTheEnvironment() {
        assertEquals(Path.of("/x/lsg"), DefaultModel.cacheRoot(Map.of("LSG4J_HOME", "/x/lsg")));
        assertEquals(Path.of("/c/lsg4j"), DefaultModel.cacheRoot(Map.of("XDG_CACHE_HOME", "/c")));
    }
}
