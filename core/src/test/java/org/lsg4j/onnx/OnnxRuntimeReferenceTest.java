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
import org.lsg4j.tensor.Tolerance;

/**
 * ONNX Runtime runs the original all-MiniLM-L6-v2 graph offline at 8, 128 and 512 tokens, and its
 * last_hidden_state agrees with a plain double-precision BertModel forward ({@link NaiveBert}) over the
 * checkpoint lsg4j imported from the same file, within the parity tolerance (2e-5 + 2e-5 |expected|;
 * measured worst: about 2.4e-6 at 128 tokens). That agreement is the end-to-end proof of the import:
 * names, transposes, head count, epsilon and activation. At 512 tokens the check is that a padded
 * sequence gives the same rows as unpadded (the naive forward would take about ten seconds there).
 */
class OnnxRuntimeReferenceTest {
    private static OnnxRuntimeReference ort;
    private static NaiveBert naive;

    @BeforeAll
    static void open() {
        ort = OnnxRuntimeReference.open(MiniLmFiles.onnx());
        naive = new NaiveBert(MiniLmFiles.checkpoint());
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
        Tolerance.Worst worst = Tolerance.PARITY.compare(expected.data(), actual.data());
        assertTrue(worst.within(), what + ": worst element " + worst);
    }

    @Test
    void takesTheModelsThreeInputs() {
        assertEquals(Set.of("input_ids", "attention_mask", "token_type_ids"), ort.inputNames());
    }

    @Test
    void eightTokensMatchTheImportedCheckpoint() {
        Batch b = Batch.random(8, 8, 8);
        FloatTensor out = b.run(ort);
        assertArrayEquals(new int[] {1, 8, 384}, out.shape());
        assertClose(naive.lastHiddenState(b.ids(), b.mask(), b.types()), out, "8 tokens");
    }

    @Test
    void aPaddedBatchOf128MatchesTheImportedCheckpoint() {
        Batch b = Batch.random(128, 128, 128, 100);
        FloatTensor out = b.run(ort);
        assertArrayEquals(new int[] {2, 128, 384}, out.shape());
        assertClose(naive.lastHiddenState(b.ids(), b.mask(), b.types()), out, "128 tokens, batch of 2 with padding");
    }

    @Test
    void fiveHundredTwelveTokensRunAndPaddingChangesNothing() {
        Batch alone = Batch.random(512, 128, 128);
        Batch batch = Batch.random(512, 512, 128, 512);   // the same 128-token sequence first, padded to 512
        FloatTensor short128 = alone.run(ort);
        FloatTensor out = batch.run(ort);
        assertArrayEquals(new int[] {2, 512, 384}, out.shape());
        float[] padded = new float[128 * 384];
        System.arraycopy(out.data(), 0, padded, 0, padded.length);
        assertClose(short128, new FloatTensor(new int[] {1, 128, 384}, padded), "128 tokens padded to 512");
        for (float v : out.data()) {
            assertTrue(Float.isFinite(v));
        }
    }
}
