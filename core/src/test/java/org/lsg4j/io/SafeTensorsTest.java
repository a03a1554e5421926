package org.lsg4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

class SafeTensorsTest {
    static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures", "lsg-roberta");

    @TempDir
    Path dir;

    @Test
    void readsFixtureModelWeights() {
        try (SafeTensors st = SafeTensors.open(FIXTURES.resolve("norm-f2-base-long-hidden/model.safetensors"))) {
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals("embeddings.LayerNorm.bias", st.names().getFirst());
            assertFalse(st.names().contains("__metadata__"));
            TensorInfo info = st.info("embeddings.global_embeddings.weight");
            assertEquals(DType.F32, info.dtype());
            assertArrayEquals(new int[] {512, 32}, info.shape());
            FloatTensor t = st.floats("embeddings.global_embeddings.weight");
            assertArrayEquals(new int[] {512, 32}, t.shape());
            assertEquals(512 * 32, t.data().length);
            assertTrue(st.contains("pooler.dense.bias"));
            assertFalse(st.contains("lm_head.bias"));
        }
    }

    @Test
    void readsFixtureInputsAndZeroDimensionalOutputs() {
        try (SafeTensors in = SafeTensors.open(FIXTURES.resolve("seqcls-regression/inputs.safetensors"));
                SafeTensors out = SafeTensors.open(FIXTURES.resolve("seqcls-regression/outputs.safetensors"))) {
            LongTensor ids = in.longs("input_ids");
            assertEquals(0L, ids.data()[0], "<s> first");
            assertEquals(DType.F32, out.info("loss").dtype());
            assertArrayEquals(new int[0], out.floats("loss").shape());
            assertEquals(1, out.floats("loss").data().length);
            float f64Loss = out.floats("loss.f64").data()[0];
            assertEquals(out.floats("loss").data()[0], f64Loss, 1e-5f);
        }
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        Path file = dir.resolve("t.safetensors");
        Map<String, Object> tensors = new LinkedHashMap<>();
        tensors.put("b", new FloatTensor(new int[] {2, 3}, new float[] {1, -2, 3.5f, Float.NaN, 0f, -0f}));
        tensors.put("a", new LongTensor(new int[] {3}, new long[] {Long.MIN_VALUE, -100, Long.MAX_VALUE}));
        tensors.put("scalar", new FloatTensor(new int[0], new float[] {7f}));
        tensors.put("empty", new FloatTensor(new int[] {0, 4}, new float[0]));
        SafeTensors.write(file, tensors, Map.of("format", "pt"));
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(List.of("a", "b", "empty", "scalar"), st.names());
            assertArrayEquals(new float[] {1, -2, 3.5f, Float.NaN, 0f, -0f}, st.floats("b").data());
            assertArrayEquals(new long[] {Long.MIN_VALUE, -100, Long.MAX_VALUE}, st.longs("a").data());
            assertArrayEquals(new float[] {7f}, st.floats("scalar").data());
            assertArrayEquals(new int[] {0, 4}, st.floats("empty").shape());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void headerIsPaddedToMultipleOfEight() throws IOException {
        Path file = dir.resolve("p.safetensors");
        SafeTensors.write(file, Map.of("x", new FloatTensor(new int[] {1}, new float[] {1})), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8);
        assertEquals(8 + n + 4, bytes.length);
    }

    @Test
    void failedWriteLeavesNoFile() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Map<String, Object> tensors = new LinkedHashMap<>();
        tensors.put("ok", new FloatTensor(new int[] {1}, new float[] {1}));
        tensors.put("bad", "not a tensor");
        LsgException e = assertThrows(LsgException.class, () -> SafeTensors.write(file, tensors, Map.of()));
        assertTrue(e.getMessage().contains("'bad'"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void writeReplacesExistingFile() {
        Path file = dir.resolve("r.safetensors");
        SafeTensors.write(file, Map.of("x", new FloatTensor(new int[] {1}, new float[] {1})), Map.of());
        SafeTensors.write(file, Map.of("y", new FloatTensor(new int[] {1}, new float[] {2})), Map.of());
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(List.of("y"), st.names());
        }
    }

    @Test
    void wrongKindAndMissingTensorAreClearErrors() {
        Path file = dir.resolve("k.safetensors");
        SafeTensors.write(file, Map.of("ids", new LongTensor(new int[] {1}, new long[] {1}),
                "w", new FloatTensor(new int[] {1}, new float[] {1})), Map.of());
        try (SafeTensors st = SafeTensors.open(file)) {
            LsgException e = assertThrows(LsgException.class, () -> st.floats("ids"));
            assertTrue(e.getMessage().contains("'ids'") && e.getMessage().contains("I64"), e.getMessage());
            e = assertThrows(LsgException.class, () -> st.longs("w"));
            assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("F32"), e.getMessage());
            e = assertThrows(LsgException.class, () -> st.info("nope"));
            assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void readAfterCloseFails() {
        Path file = dir.resolve("c.safetensors");
        SafeTensors.write(file, Map.of("w", new FloatTensor(new int[] {1}, new float[] {1})), Map.of());
        SafeTensors st = SafeTensors.open(file);
        st.close();
        st.close();
        assertThrows(LsgException.class, () -> st.floats("w"));
    }
}
