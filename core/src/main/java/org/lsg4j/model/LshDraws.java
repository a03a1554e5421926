package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Gaussian random directions of lsh sparsity. The reference draws one tensor of shape
 * (1, heads, 1, head_dim, n_hashes) per hashing round, layer by layer (the pre-rounds, then the
 * final round), shared by every sequence of the batch. A source is used by one forward pass.
 */
public interface LshDraws {

    /** The next draw, heads x headDim x nHashes row-major. */
    float[] next(int heads, int headDim, int nHashes);

    /** Standard normal draws from a seeded generator (lsg4j's default, seed 0). */
    static LshDraws seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return (heads, headDim, nHashes) -> {
            float[] r = new float[heads * headDim * nHashes];
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) random.nextGaussian();
            }
            return r;
        };
    }

    /** Replays recorded draws (the fixtures' {@code lsh_proj.K}), in order, checking each shape. */
    static LshDraws recorded(List<FloatTensor> draws) {
        Iterator<FloatTensor> it = List.copyOf(draws).iterator();
        int[] count = {0};
        return (heads, headDim, nHashes) -> {
            int k = count[0]++;
            if (!it.hasNext()) {
                throw new LsgException("lsh_proj." + k + " is needed but only " + k
                        + " recorded lsh draws were given");
            }
            FloatTensor t = it.next();
            int[] expected = {1, heads, 1, headDim, nHashes};
            if (!Arrays.equals(t.shape(), expected)) {
                throw new LsgException("lsh_proj." + k + " has shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(expected));
            }
            return t.data();
        };
    }
}
