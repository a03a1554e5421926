package org.lsg4j.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint keys: prefixes, buffers, missing and unexpected weights; heads; sharing a model. */
class ModelLoadingTest {
    private static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures", "lsg-roberta");

    @TempDir
    Path tmp;

    /** Copies a fixture model, rewriting its weights through {@code edit}. */
    private Path editedModel(String name, java.util.function.Consumer<Map<String, Object>> edit) throws IOException {
        Path src = FIXTURES.resolve(name);
        Path dst = Files.createDirectory(tmp.resolve(name));
        Files.copy(src.resolve("config.json"), dst.resolve("config.json"));
        Map<String, Object> tensors = new LinkedHashMap<>();
        try (SafeTensors st = SafeTensors.open(src.resolve("model.safetensors"))) {
            for (String n : st.names()) {
                tensors.put(n, st.floats(n));
            }
        }
        edit.accept(tensors);
        SafeTensors.write(dst.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return dst;
    }

    @Test
    void missingWeightsAreAnErrorNamingThem() throws IOException {
        Path m = editedModel("norm-f2-base-long-hidden", t -> {
            t.remove("encoder.layer.1.output.dense.bias");
            t.remove("embeddings.global_embeddings.weight");
        });
        LsgException e = assertThrows(LsgException.class, () -> LsgModel.load(m));
        assertTrue(e.getMessage().contains("missing 2 weights"), e.getMessage());
        assertTrue(e.getMessage().contains("encoder.layer.1.output.dense.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("embeddings.global_embeddings.weight"), e.getMessage());
    }

    @Test
    void unexpectedWeightsAreAWarningAndBuffersAreIgnored() throws IOException {
        Path m = editedModel("grad-mlm", t -> {
            t.put("roberta.embeddings.position_ids", new FloatTensor(new int[]{1, 4}, new float[4]));
            t.put("lm_head.decoder.weight", t.get("roberta.embeddings.word_embeddings.weight"));
            t.put("roberta.pooler.dense.bias", new FloatTensor(new int[]{32}, new float[32]));
            t.put("roberta.encoder.layer.7.output.dense.bias", new FloatTensor(new int[]{32}, new float[32]));
        });
        LsgModel model = LsgModel.load(m);
        // a pooler the head does not read is ignored, as the reference's _keys_to_ignore_on_load_unexpected says
        assertEquals(1, model.warnings().size(), model.warnings().toString());
        assertTrue(model.warnings().get(0).contains("roberta.encoder.layer.7.output.dense.bias"), model.warnings().toString());
    }

    @Test
    void keysWithoutPrefixLoadATaskModel() throws IOException {
        Path m = editedModel("grad-seqcls", t -> {
            for (String k : List.copyOf(t.keySet())) {
                if (k.startsWith("roberta.")) {
                    t.put(k.substring("roberta.".length()), t.remove(k));
                }
            }
        });
        Path ref = FIXTURES.resolve("grad-seqcls");
        try (SafeTensors in = SafeTensors.open(ref.resolve("inputs.safetensors"));
             SafeTensors out = SafeTensors.open(ref.resolve("outputs.safetensors"))) {
            ModelOutputs o = LsgModel.load(m).forward(NamedInputs.read(in));
            assertArrayEquals(out.floats("logits").data(), o.get("logits").data(), 2e-5f);
        }
    }

    @Test
    void theBaseModelReadsATaskCheckpoint() {
        LsgModel base = LsgModel.load(FIXTURES.resolve("grad-mlm"), Head.BASE);
        assertTrue(base.warnings().stream().anyMatch(w -> w.contains("pooler")), base.warnings().toString());
        LongTensor ids = new LongTensor(new int[]{1, 5}, new long[]{0, 10, 11, 12, 2});
        ModelOutputs o = base.forward(ModelInputs.of(ids));
        assertArrayEquals(new int[]{1, 5, 32}, o.get("last_hidden_state").shape());
        assertNull(o.get("pooler_output"));
    }

    @Test
    void architecturesPickTheHead() {
        assertEquals(Head.MASKED_LM, LsgModel.load(FIXTURES.resolve("grad-mlm")).head());
        assertEquals(Head.QUESTION_ANSWERING, LsgModel.load(FIXTURES.resolve("stride-f4-qa")).head());
        assertEquals(Head.MULTIPLE_CHOICE, LsgModel.load(FIXTURES.resolve("lsh-mc")).head());
    }

    @Test
    void lshDrawsDefaultToASeededSource() {
        LsgModel model = LsgModel.load(FIXTURES.resolve("lsh-f2-tokcls"));
        long[] ids = new long[64];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 3 + i;
        }
        ModelInputs in = ModelInputs.of(new LongTensor(new int[]{1, 64}, ids));
        float[] a = model.forward(in).get("logits").data();
        float[] b = model.forward(in).get("logits").data();
        float[] c = model.forward(in.withLshDraws(LshDraws.seeded(7))).get("logits").data();
        assertArrayEquals(a, b, 0f);
        assertFalse(java.util.Arrays.equals(a, c), "another seed draws other directions");
    }

    @Test
    void aModelIsSharedBetweenThreads() throws Exception {
        Path ref = FIXTURES.resolve("norm-f4-mlm-adaptive");
        LsgModel model = LsgModel.load(ref);
        ModelInputs in;
        float[] expected;
        try (SafeTensors i = SafeTensors.open(ref.resolve("inputs.safetensors"))) {
            in = NamedInputs.read(i);
            expected = model.forward(in).get("logits").data();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> runs = new java.util.ArrayList<>();
            for (int k = 0; k < 8; k++) {
                runs.add(pool.submit(() -> model.forward(in).get("logits").data()));
            }
            for (Future<float[]> f : runs) {
                assertArrayEquals(expected, f.get(), 0f);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void labelsOfTheWrongKindAreRefused() {
        LsgModel model = LsgModel.load(FIXTURES.resolve("grad-mlm"));
        LongTensor ids = new LongTensor(new int[]{1, 3}, new long[]{0, 5, 2});
        LsgException e = assertThrows(LsgException.class,
                () -> model.forward(ModelInputs.of(ids).withLabels(new FloatTensor(new int[]{1, 3}, new float[3]))));
        assertTrue(e.getMessage().contains("int64"), e.getMessage());
        LsgException range = assertThrows(LsgException.class,
                () -> model.forward(ModelInputs.of(ids).withLabels(new LongTensor(new int[]{1, 3}, new long[]{-100, 5000, 1}))));
        assertTrue(range.getMessage().contains("5000"), range.getMessage());
        assertNotNull(model.forward(ModelInputs.of(ids).withLabels(new LongTensor(new int[]{1, 3}, new long[]{-100, 7, 1}))).get("loss"));
    }

    /** Writes a safetensors file of 2-byte floats by hand (the library's writer only writes F32 and I64). */
    private static void writeHalf(Path file, Map<String, FloatTensor> tensors, String dtype,
                                  java.util.function.ToIntFunction<Float> encode) throws IOException {
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (var e : tensors.entrySet()) {
            long bytes = 2L * e.getValue().data().length;
            header.append(header.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":{\"dtype\":\"")
                    .append(dtype).append("\",\"shape\":").append(java.util.Arrays.toString(e.getValue().shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        while (header.length() % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (8 + h.length + offset)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (FloatTensor t : tensors.values()) {
            for (float v : t.data()) {
                b.putShort((short) encode.applyAsInt(v));
            }
        }
        Files.write(file, b.array());
    }

    /** F16 and BF16 weights on disk load as exactly their float32 values, and give exactly their model. */
    @Test
    void halfPrecisionCheckpointsLoadExactly() throws IOException {
        Path src = FIXTURES.resolve("norm-f2-base-long-hidden");
        Map<String, FloatTensor> weights = new LinkedHashMap<>();
        try (SafeTensors st = SafeTensors.open(src.resolve("model.safetensors"))) {
            for (String n : st.names()) {
                weights.put(n, st.floats(n));
            }
        }
        record Format(String dtype, java.util.function.ToIntFunction<Float> encode,
                      java.util.function.IntFunction<Float> decode) {
        }
        List<Format> formats = List.of(
                new Format("F16", v -> Float.floatToFloat16(v), bits -> Float.float16ToFloat((short) bits)),
                new Format("BF16", v -> Float.floatToRawIntBits(v) >>> 16, bits -> Float.intBitsToFloat(bits << 16)));
        for (Format f : formats) {
            Path half = Files.createDirectory(tmp.resolve(f.dtype()));
            Path widened = Files.createDirectory(tmp.resolve(f.dtype() + "-as-f32"));
            Files.copy(src.resolve("config.json"), half.resolve("config.json"));
            Files.copy(src.resolve("config.json"), widened.resolve("config.json"));
            writeHalf(half.resolve("model.safetensors"), weights, f.dtype(), f.encode());
            Map<String, Object> asFloat = new LinkedHashMap<>();
            weights.forEach((k, t) -> {
                float[] v = new float[t.data().length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = f.decode().apply(f.encode().applyAsInt(t.data()[i]) & 0xffff);
                }
                asFloat.put(k, new FloatTensor(t.shape(), v));
            });
            SafeTensors.write(widened.resolve("model.safetensors"), asFloat, Map.of());
            try (org.lsg4j.io.Checkpoint h = org.lsg4j.io.Checkpoint.open(half);
                 org.lsg4j.io.Checkpoint w = org.lsg4j.io.Checkpoint.open(widened)) {
                assertEquals(w.keys(), h.keys());
                for (String key : w.keys()) {
                    assertArrayEquals(w.get(key).data(), h.get(key).data(), 0f, f.dtype() + " " + key);
                }
            }
            try (SafeTensors in = SafeTensors.open(src.resolve("inputs.safetensors"))) {
                // the same floats give the same model, bit for bit
                ModelInputs inputs = NamedInputs.read(in);
                float[] a = LsgModel.load(half).forward(inputs).get("last_hidden_state").data();
                float[] b = LsgModel.load(widened).forward(inputs).get("last_hidden_state").data();
                assertArrayEquals(b, a, 0f, f.dtype());
            }
        }
    }

    /** norm with chunk/f keys that cannot fill the sparse windows: the reference fails, lsg4j says why. */
    @Test
    void sparseKeysThatCannotFillTheWindowsAreRefused() throws IOException {
        Path src = FIXTURES.resolve("norm-b16-f4-sbs12-base");
        Path m = Files.createDirectory(tmp.resolve("sbs6"));
        Files.writeString(m.resolve("config.json"), Files.readString(src.resolve("config.json"))
                .replace("\"sparse_block_size\": 12", "\"sparse_block_size\": 6"));
        Files.copy(src.resolve("model.safetensors"), m.resolve("model.safetensors"));
        long[] ids = new long[96];
        java.util.Arrays.fill(ids, 7);
        LsgException e = assertThrows(LsgException.class,
                () -> LsgModel.load(m).forward(ModelInputs.of(new LongTensor(new int[]{1, 96}, ids))));
        assertTrue(e.getMessage().contains("sparse windows"), e.getMessage());
    }

    /** The same floats on one thread or three: every output element is computed in one fixed order. */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Path ref = FIXTURES.resolve("lsh-adaptive-heavy-pad-hidden");
        LsgModel model = LsgModel.load(ref);
        try (SafeTensors in = SafeTensors.open(ref.resolve("inputs.safetensors"));
             org.lsg4j.kernels.Workers one = org.lsg4j.kernels.Workers.create(1);
             org.lsg4j.kernels.Workers three = org.lsg4j.kernels.Workers.create(3)) {
            ModelInputs inputs = NamedInputs.read(in).withHiddenStates(true);
            ModelOutputs a = model.forward(inputs, one);
            ModelOutputs b = model.forward(NamedInputs.read(in).withHiddenStates(true), three);
            for (String name : a.tensors().keySet()) {
                assertArrayEquals(a.get(name).data(), b.get(name).data(), 0f, name);
            }
        }
    }

    @Test
    void theMaskedLmHeadRunsAtChosenPositionsOnly() {
        Path c = FIXTURES.resolve("norm-f4-mlm-adaptive");
        LsgModel model = LsgModel.load(c);
        ModelInputs in;
        try (org.lsg4j.io.SafeTensors st = org.lsg4j.io.SafeTensors.open(c.resolve("inputs.safetensors"))) {
            in = NamedInputs.read(st);
        }
        FloatTensor all = model.forward(in).get("logits");
        int t = all.shape()[1];
        int vocab = all.shape()[2];
        long[] at = {3, t + 7, 2L * t - 1};
        FloatTensor some = model.forward(in.withHeadPositions(new org.lsg4j.tensor.LongTensor(new int[]{3}, at)))
                .get("logits");
        assertArrayEquals(new int[]{3, vocab}, some.shape());
        for (int k = 0; k < at.length; k++) {
            for (int v = 0; v < vocab; v++) {
                assertEquals(all.data()[(int) at[k] * vocab + v], some.data()[k * vocab + v], "row " + at[k]);
            }
        }
    }
}
