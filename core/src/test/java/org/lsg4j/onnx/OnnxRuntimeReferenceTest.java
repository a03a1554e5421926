package org.lsg4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgModel;
import org.lsg4j.model.ModelInputs;

/**
 * ONNX Runtime runs the original all-MiniLM-L6-v2 graph offline at 8, 128 and 512 tokens, and
 * lsg4j's plain BERT forward on the checkpoint it imported from the same file gives the same
 * last_hidden_state within 1e-5 (absolute, every element): the end-to-end proof of the import
 * (names, transposes, head count, epsilon, activation) and of the BERT family's forward pass.
 */
class OnnxRuntimeReferenceTest {
    private static final double TOLERANCE = 1e-5;
    private static OnnxRuntimeReference ort;
    private static LsgModel lsg4j;

    @BeforeAll
    static void open() {
        ort = OnnxRuntimeReference.open(MiniLmFiles.onnx());
        lsg4j = LsgModel.load(MiniLmFiles.checkpoint(), Head.BASE);
    }

    @AfterAll
    static void close() {
        ort.close();
    }

    /** {@code rows} sequences of {@code length[r]} tokens ([CLS] random [SEP]) right-padded to {@code t}. */
    private record Batch(LongTensor ids, LongTensor mask, LongTensor types) {
        static Batch random(long seed, int t, int... lengths) {
            Random random = new Random(seed);
            int n = lengths.length;
            long[] ids = new long[n * t];
            long[] mask = new long[n * t];
            long[] types = new long[n * t];
            for (int r = 0; r < n; r++) {
                int len = lengths[r];
                for (int p = 0; p < len; p++) {
                    ids[r * t + p] = p == 0 ? 101 : p == len - 1 ? 102 : 1996 + random.nextInt(28000);
                    mask[r * t + p] = 1;
                    types[r * t + p] = p > len / 2 ? 1 : 0;   // a sentence pair: the second half is segment B
                }
            }
            int[] shape = {n, t};
            return new Batch(new LongTensor(shape, ids), new LongTensor(shape, mask), new LongTensor(shape, types));
        }

        FloatTensor run(OnnxRuntimeReference model) {
            return model.lastHiddenState(ids, mask, types);
        }
    }

    private static void assertClose(FloatTensor expected, FloatTensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double worst = 0;
        for (int i = 0; i < expected.data().length; i++) {
            worst = Math.max(worst, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        System.out.printf("onnx runtime parity, %s: max |lsg4j - ort| = %.3g%n", what, worst);
        assertTrue(worst <= TOLERANCE, what + ": max |lsg4j - ort| = " + worst + " > " + TOLERANCE);
    }

    private static FloatTensor lsg4j(Batch b) {
        return lsg4j.forward(ModelInputs.of(b.ids()).withAttentionMask(b.mask()).withTokenTypeIds(b.types()))
                .get("last_hidden_state");
    }

    /** Rows of each sequence that are real tokens (padding rows are not compared: neither model defines them). */
    private static FloatTensor realRows(FloatTensor x, LongTensor mask) {
        float[] out = x.data().clone();
        int d = x.shape()[2];
        for (int i = 0; i < mask.data().length; i++) {
            if (mask.data()[i] == 0) {
                java.util.Arrays.fill(out, i * d, (i + 1) * d, 0f);
            }
        }
        return new FloatTensor(x.shape(), out);
    }

    @Test
    void takesTheModelsThreeInputs() {
        assertEquals(Set.of("input_ids", "attention_mask", "token_type_ids"), ort.inputNames());
    }

    @Test
    void eightTokens() {
        Batch b = Batch.random(8, 8, 8);
        FloatTensor out = b.run(ort);
        assertArrayEquals(new int[] {1, 8, 384}, out.shape());
        assertClose(out, lsg4j(b), "8 tokens");
    }

    @Test
    void aPaddedBatchOf128() {
        Batch b = Batch.random(128, 128, 128, 100);
        assertClose(realRows(b.run(ort), b.mask()), realRows(lsg4j(b), b.mask()), "2 x 128 tokens with padding");
    }

    @Test
    void fiveHundredTwelveTokens() {
        Batch b = Batch.random(512, 512, 128, 512);   // a 128-token sequence padded to 512, and a full one
        assertClose(realRows(b.run(ort), b.mask()), realRows(lsg4j(b), b.mask()), "2 x 512 tokens with padding");
    }
}
