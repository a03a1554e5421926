package org.lsg4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;

class CheckpointTest {
    static final Path CASE = SafeTensorsTest.FIXTURES.resolve("norm-f2-base-long-hidden");

    @TempDir
    Path dir;

    private static FloatTensor vec(float... v) {
        return new FloatTensor(new int[] {v.length}, v);
    }

    private static void assertMessage(LsgException e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    void prefersSafetensorsWhenBothExist() {
        try (Checkpoint c = Checkpoint.open(CASE)) {
            String key = "encoder.layer.0.attention.self.query.weight";
            assertTrue(c.source(key).endsWith("model.safetensors"), c.source(key));
            assertArrayEquals(new int[] {32, 32}, c.shape(key));
            assertArrayEquals(new int[] {32, 32}, c.get(key).shape());
            assertEquals("embeddings.LayerNorm.bias", c.keys().iterator().next());
        }
    }

    @Test
    void readsPytorchBinAlone() throws IOException {
        Files.copy(CASE.resolve("pytorch_model.bin"), dir.resolve("pytorch_model.bin"));
        try (Checkpoint bin = Checkpoint.open(dir); Checkpoint st = Checkpoint.open(CASE)) {
            assertEquals(new TreeSet<>(st.keys()), new TreeSet<>(bin.keys()));
            String key = "pooler.dense.weight";
            assertTrue(bin.source(key).endsWith("pytorch_model.bin"));
            assertArrayEquals(st.get(key).data(), bin.get(key).data());
        }
    }

    @Test
    void missingKeyNamesKeyAndFile() {
        try (Checkpoint c = Checkpoint.open(CASE)) {
            LsgException e = assertThrows(LsgException.class, () -> c.get("lm_head.decoder.weight"));
            assertMessage(e, "'lm_head.decoder.weight'", "model.safetensors");
            assertThrows(LsgException.class, () -> c.shape("nope"));
            assertThrows(LsgException.class, () -> c.source("nope"));
        }
    }

    @Test
    void emptyFolderListsWhatWasLookedFor() {
        LsgException e = assertThrows(LsgException.class, () -> Checkpoint.open(dir));
        assertMessage(e, dir.toString(), "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json");
    }

    @Test
    void notAFolder() {
        Path file = CASE.resolve("config.json");
        assertMessage(assertThrows(LsgException.class, () -> Checkpoint.open(file)), file.toString(), "not a folder");
    }

    private void writeIndex(String json) throws IOException {
        Files.writeString(dir.resolve("model.safetensors.index.json"), json);
    }

    @Test
    void readsShardedSafetensors() throws IOException {
        SafeTensors.write(dir.resolve("model-00001-of-00002.safetensors"), Map.of("a", vec(1, 2), "b", vec(3)), Map.of());
        SafeTensors.write(dir.resolve("model-00002-of-00002.safetensors"), Map.of("c", vec(4)), Map.of());
        writeIndex("""
                {"metadata": {"total_size": 16}, "weight_map": {
                  "c": "model-00002-of-00002.safetensors",
                  "a": "model-00001-of-00002.safetensors",
                  "b": "model-00001-of-00002.safetensors"}}""");
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(List.of("c", "a", "b"), List.copyOf(c.keys()));
            assertArrayEquals(new float[] {1, 2}, c.get("a").data());
            assertArrayEquals(new float[] {4}, c.get("c").data());
            assertTrue(c.source("c").endsWith("model-00002-of-00002.safetensors"));
            assertMessage(assertThrows(LsgException.class, () -> c.get("d")), dir.toString(), "'d'");
        }
    }

    @Test
    void shardedMissingShardNamesIndexAndShard() throws IOException {
        SafeTensors.write(dir.resolve("s1.safetensors"), Map.of("a", vec(1)), Map.of());
        writeIndex("{\"weight_map\": {\"a\": \"s1.safetensors\", \"b\": \"s2.safetensors\"}}");
        assertMessage(assertThrows(LsgException.class, () -> Checkpoint.open(dir)),
                "model.safetensors.index.json", "'s2.safetensors'", "missing");
    }

    @Test
    void shardedKeyAbsentFromItsShard() throws IOException {
        SafeTensors.write(dir.resolve("s1.safetensors"), Map.of("a", vec(1)), Map.of());
        writeIndex("{\"weight_map\": {\"a\": \"s1.safetensors\", \"z\": \"s1.safetensors\"}}");
        assertMessage(assertThrows(LsgException.class, () -> Checkpoint.open(dir)),
                "model.safetensors.index.json", "'z'", "'s1.safetensors'");
    }

    @Test
    void malformedIndexes() throws IOException {
        Path index = dir.resolve("model.safetensors.index.json");
        writeIndex("{\"weight_map\": {\"a\": ");
        assertMessage(assertThrows(LsgException.class, () -> Checkpoint.open(dir)), index.toString(), "malformed JSON");
        writeIndex("{\"metadata\": {}}");
        assertMessage(assertThrows(LsgException.class, () -> Checkpoint.open(dir)), index.toString(), "weight_map");
        writeIndex("{\"weight_map\": {\"a\": 3}}");
        assertMessage(assertThrows(LsgException.class, () -> Checkpoint.open(dir)), index.toString(), "'a'");
        writeIndex("{\"weight_map\": {\"a\": \"../elsewhere.safetensors\"}}");
        assertMessage(assertThrows(LsgException.class, () -> Checkpoint.open(dir)), index.toString(), "same folder");
        writeIndex("{\"weight_map\": {\"a\": \"x.safetensors\", \"a\": \"y.safetensors\"}}");
        assertMessage(assertThrows(LsgException.class, () -> Checkpoint.open(dir)), index.toString(), "Duplicate");
    }

    @Test
    void readsShardedPytorchBin() throws IOException {
        Files.copy(CASE.resolve("pytorch_model.bin"), dir.resolve("pytorch_model-00001-of-00001.bin"));
        StringBuilder map = new StringBuilder();
        try (SafeTensors st = SafeTensors.open(CASE.resolve("model.safetensors"))) {
            for (String key : st.names()) {
                map.append(map.isEmpty() ? "" : ",").append('"').append(key)
                        .append("\":\"pytorch_model-00001-of-00001.bin\"");
            }
            Files.writeString(dir.resolve("pytorch_model.bin.index.json"), "{\"weight_map\":{" + map + "}}");
            try (Checkpoint c = Checkpoint.open(dir)) {
                assertEquals(st.names(), List.copyOf(c.keys()));
                for (String key : st.names()) {
                    assertArrayEquals(st.floats(key).data(), c.get(key).data(), key);
                }
            }
        }
    }
}
