package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Gaussian random directions of lsh sparsity. The reference draws one tensor of shape
 * (1, heads, 1, head_dim, n_hashes) per hashing round, layer by layer (the pre-rounds, then the
 * final round), shared by every sequence of the batch. An {@code LshDraws} is a value (a seed, or
 * recorded tensors): each forward pass {@link #open()}s its own sequence of draws from it, so the
 * same inputs give the same result however often they run.
 */
public interface LshDraws {

    /** The draws of one forward pass, in the order the layers ask for them. */
    interface Sequence {
        /** The next draw, heads x headDim x nHashes row-major. */
        float[] next(int heads, int headDim, int nHashes);
    }

    /** A fresh sequence of draws for one forward pass. */
    Sequence open();

    /** Standard normal draws from a seeded generator (lsg4j's default, seed 0). */
    static LshDraws seeded(long seed) {
        return () -> {
            SplittableRandom random = new SplittableRandom(seed);
            return (heads, headDim, nHashes) -> {
                float[] r = new float[heads * headDim * nHashes];
                for (int i = 0; i < r.length; i++) {
                    r[i] = (float) random.nextGaussian();
                }
                return r;
            };
        };
    }

    /** Replays recorded draws (the fixtures' {@code lsh_proj.K}), in order, checking each shape. */
    static LshDraws recorded(List<FloatTensor> draws) {
        List<FloatTensor> copy = List.copyOf(draws);
        return () -> {
            int[] count = {0};
            return (heads, headDim, nHashes) -> {
                int k = count[0]++;
                if (k >= copy.size()) {
                    throw new LsgException("lsh_proj." + k + " is needed but only " + k
                            + " recorded lsh draws were given");
                }
                FloatTensor t = copy.get(k);
                int[] expected = {1, heads, 1, headDim, nHashes};
                if (!Arrays.equals(t.shape(), expected)) {
                    throw new LsgException("lsh_proj." + k + " has shape " + Arrays.toString(t.shape())
                            + ", expected " + Arrays.toString(expected));
                }
                return t.data();
            };
        };
    }

    /** Replays the draws one layer application made, in order (a recomputed layer sees the same directions). */
    static Sequence replay(float[][] draws) {
        int[] next = {0};
        return (heads, headDim, nHashes) -> draws[next[0]++];
    }
}
