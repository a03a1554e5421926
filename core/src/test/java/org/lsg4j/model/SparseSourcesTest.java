package org.lsg4j.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.lsg4j.LsgException;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.LongTensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LsgModel#sparseSources}: on the fixtures of every sparsity type, each sequence's sources
 * equal what a full taped forward pass of the whole batch recorded (so the lsh draws, the layers
 * before and the batch play no part), and they follow each type's rule, checked here from the
 * keys the tape holds rather than from the selection code.
 */
class SparseSourcesTest {
    private static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures", "lsg-roberta");

    @ParameterizedTest
    @ValueSource(strings = {"norm-adaptive-heavy-pad-hidden", "norm-f1-base", "mask-first-token-base",
            "lsh-adaptive-heavy-pad-hidden", "lsh-f2-tokcls", "lsh-f-eq-sbs-mlm", "bos_pooling-f4-mlm",
            "pooling-f2-seqcls", "stride-f4-qa", "block_stride-f2-mc"})
    void sourcesMatchTheTapedForwardAndTheTypesRule(String name) {
        Path dir = FIXTURES.resolve(name);
        LsgModel model = LsgModel.load(dir);
        LsgConfig c = model.config();
        Workers workers = Workers.create(2);
        LsgModel.Pass pass = new LsgModel.Pass();
        ModelInputs batch = inputs(dir);
        model.run(batch, workers, pass);
        long[] ids = batch.inputIds().data();
        int t = batch.inputIds().dim(-1);
        int n = ids.length / t;
        assertEquals(c.numHiddenLayers(), model.layerApplications());
        for (int r = 0; r < n; r++) {
            ModelInputs one = row(batch, r, model.head() == Head.MULTIPLE_CHOICE);
            for (int layer = 0; layer < model.layerApplications(); layer++) {
                LsgSelfAttention.Tape tape = pass.encoder.layers.get(layer).attention;
                for (int h = 0; h < c.numAttentionHeads(); h++) {
                    SparseSources s = model.sparseSources(one, layer, h, workers);
                    assertNotNull(s, name);
                    assertEquals(layer, s.layer());
                    assertEquals(h, s.head());
                    SparseSources taped = SparseSources.of(s.geometry(), layer, h, tape.maps[r][h], tape.sparse[r]);
                    assertEquals(taped.slots(), s.slots());
                    for (int slot = 0; slot < s.slots(); slot++) {
                        String where = name + " row " + r + " layer " + layer + " head " + h + " slot " + slot;
                        assertArrayEquals(taped.sources(slot), s.sources(slot), where);
                        assertArrayEquals(taped.weights(slot), s.weights(slot), where);
                        assertEquals(taped.visible(slot), s.visible(slot), where);
                    }
                    boolean[] visible = visibility(one, c, s.geometry());
                    checkRule(c, s, visible, tape, r, h, name);
                }
            }
        }
    }

    /** Each type's rule, from the positions' visibility and the tape's keys. */
    private static void checkRule(LsgConfig c, SparseSources s, boolean[] visible, LsgSelfAttention.Tape tape,
                                  int r, int h, String name) {
        int f = c.sparsityFactor();
        int tp = s.geometry().paddedLength();
        int chunk = Math.min(c.blockSize(), c.sparseBlockSize());
        boolean bosLike = f > 1 && (c.sparsityType() == SparsityType.BOS_POOLING
                || c.sparsityType() == SparsityType.LSH && f == c.sparseBlockSize());
        if (f == 1) {
            for (int slot = 0; slot < s.slots(); slot++) {
                assertArrayEquals(new int[]{slot}, s.sources(slot), name);
                assertEquals(visible[slot], s.visible(slot), name);
            }
            return;
        }
        if (bosLike) {
            for (int slot = 0; slot < s.slots(); slot++) {
                int[] expected = new int[f];
                for (int m = 0; m < f; m++) {
                    expected[m] = slot * f + m;
                }
                assertArrayEquals(expected, s.sources(slot), name);
                double sum = 0;
                for (float w : s.weights(slot)) {
                    sum += w;
                }
                assertEquals(1.0, sum, 1e-5, name + " slot " + slot + " weights are a softmax");
                assertTrue(s.visible(slot), name);
            }
            return;
        }
        switch (c.sparsityType()) {
            case STRIDE -> {
                for (int slot = 0; slot < s.slots(); slot++) {
                    assertArrayEquals(new int[]{slot * f + h % f}, s.sources(slot), name);
                }
            }
            case BLOCK_STRIDE -> {
                int step = c.blockSize() / f;
                for (int slot = 0; slot < s.slots(); slot++) {
                    int block = slot / step;
                    int i = slot % step;
                    assertArrayEquals(new int[]{block * c.blockSize() + (i + h * step) % c.blockSize()},
                            s.sources(slot), name);
                }
            }
            case POOLING -> {
                for (int slot = 0; slot < s.slots(); slot++) {
                    int count = 0;
                    for (int m = 0; m < f; m++) {
                        count += visible[slot * f + m] ? 1 : 0;
                    }
                    int[] expected = new int[count];
                    int k = 0;
                    for (int m = 0; m < f; m++) {
                        if (visible[slot * f + m]) {
                            expected[k++] = slot * f + m;
                        }
                    }
                    assertArrayEquals(expected, s.sources(slot), name);
                    assertEquals(count > 0, s.visible(slot), name);
                    for (float w : s.weights(slot)) {
                        assertEquals(1f / (count + 1e-6f), w, name);
                    }
                }
            }
            case NORM -> {
                // per chunk, the chunk/f positions of largest key norm (masked keys count 0)
                int keep = chunk / f;
                int d = c.hiddenSize();
                int dh = c.headDim();
                int rows = s.geometry().rows();
                for (int start = 0; start < tp; start += chunk) {
                    double[] norms = new double[chunk];
                    for (int i = 0; i < chunk; i++) {
                        int p = start + i;
                        int o = (r * rows + c.numGlobalTokens() + p) * d + h * dh;
                        double sq = 0;
                        for (int e = 0; e < dh && visible[p]; e++) {
                            sq += (double) tape.k[o + e] * tape.k[o + e];
                        }
                        norms[i] = Math.sqrt(sq);
                    }
                    double[] sorted = norms.clone();
                    Arrays.sort(sorted);
                    double threshold = sorted[chunk - keep];
                    Set<Integer> chosen = new HashSet<>();
                    for (int slot = start / chunk * keep; slot < (start / chunk + 1) * keep; slot++) {
                        int[] src = s.sources(slot);
                        assertEquals(1, src.length, name);
                        assertTrue(src[0] >= start && src[0] < start + chunk, name + " slot " + slot + " in its chunk");
                        assertTrue(norms[src[0] - start] >= threshold, name + " slot " + slot + " has a top norm");
                        assertEquals(visible[src[0]], s.visible(slot), name);
                        chosen.add(src[0]);
                    }
                    assertEquals(keep, chosen.size(), name + " distinct positions per chunk");
                }
            }
            case LSH -> {
                // each visible position of a chunk feeds exactly one of the chunk's buckets, 1/count each
                int out = chunk / f;
                int[] seen = new int[tp];
                for (int slot = 0; slot < s.slots(); slot++) {
                    int[] src = s.sources(slot);
                    float[] w = s.weights(slot);
                    int ch = slot / out;
                    for (int i = 0; i < src.length; i++) {
                        assertTrue(src[i] / chunk == ch, name + " slot " + slot + " reads its own chunk");
                        assertTrue(visible[src[i]], name + " masked positions feed no bucket");
                        assertEquals(1f / (src.length + 1e-8f), w[i], 1e-6f, name);
                        seen[src[i]]++;
                    }
                    assertEquals(src.length > 0, s.visible(slot), name);
                }
                for (int p = 0; p < tp; p++) {
                    assertEquals(visible[p] ? 1 : 0, seen[p], name + " position " + p);
                }
            }
            default -> throw new AssertionError(c.sparsityType());
        }
    }

    @Test
    void noSparseKeysOnTheShortPath() {
        LsgModel model = LsgModel.load(FIXTURES.resolve("norm-f2-base-long-hidden"));
        ModelInputs in = ModelInputs.of(new LongTensor(new int[]{1, 5}, new long[]{0, 10, 11, 12, 2}));
        assertNull(model.sparseSources(in, 0, 0, Workers.create(1)));
    }

    @Test
    void badLayerHeadOrBatchAreClearErrors() {
        LsgModel model = LsgModel.load(FIXTURES.resolve("norm-f2-base-long-hidden"));
        long[] ids = new long[80];
        Arrays.fill(ids, 5);
        ModelInputs one = ModelInputs.of(new LongTensor(new int[]{1, 80}, ids));
        Workers w = Workers.create(1);
        LsgException e = assertThrows(LsgException.class, () -> model.sparseSources(one, 2, 0, w));
        assertTrue(e.getMessage().contains("layer must be in [0, 2)"), e.getMessage());
        e = assertThrows(LsgException.class, () -> model.sparseSources(one, 0, 4, w));
        assertTrue(e.getMessage().contains("num_attention_heads"), e.getMessage());
        ModelInputs two = ModelInputs.of(new LongTensor(new int[]{2, 40}, ids));
        e = assertThrows(LsgException.class, () -> model.sparseSources(two, 0, 0, w));
        assertTrue(e.getMessage().contains("one sequence"), e.getMessage());
        assertFalse(model.sparseSources(one, 1, 3, w).slots() == 0);
    }

    private static ModelInputs inputs(Path dir) {
        try (SafeTensors st = SafeTensors.open(dir.resolve("inputs.safetensors"))) {
            ModelInputs in = NamedInputs.read(st);
            return new ModelInputs(in.inputIds(), in.attentionMask(), in.tokenTypeIds(), null, null, null, false,
                    in.lshDraws(), null);
        }
    }

    /** Sequence r of a batch (for multiple choice, the flattened choice r) as a batch of one. */
    private static ModelInputs row(ModelInputs in, int r, boolean choices) {
        int t = in.inputIds().dim(-1);
        int[] shape = choices ? new int[]{1, 1, t} : new int[]{1, t};
        return new ModelInputs(slice(in.inputIds(), r, t, shape), slice(in.attentionMask(), r, t, shape),
                slice(in.tokenTypeIds(), r, t, shape), null, null, null, false, in.lshDraws(), null);
    }

    private static LongTensor slice(LongTensor x, int r, int t, int[] shape) {
        return x == null ? null : new LongTensor(shape, Arrays.copyOfRange(x.data(), r * t, (r + 1) * t));
    }

    private static boolean[] visibility(ModelInputs one, LsgConfig c, LsgGeometry geo) {
        boolean[] visible = new boolean[geo.paddedLength()];
        long[] mask = one.attentionMask() == null ? null : one.attentionMask().data();
        for (int p = 0; p < geo.tokens(); p++) {
            visible[p] = mask == null || mask[p] == 1;
        }
        if (c.maskFirstToken()) {
            visible[0] = false;
        }
        return visible;
    }
}
