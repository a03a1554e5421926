package org.lsg4j.model;

/**
 * The floating-point operations of one forward pass of the encoder, counted from the config: the
 * one place benchmarks take their FLOP figures from. A multiply-add counts 2. Counted: the linear
 * layers ({@code 2 * rows * in * out}, rows = g + padded length), the pooler, and attention
 * ({@code 2 * 2 * queries * keys * dh} per head for the scores and the weighted sum of values,
 * with the keys each query group actually sees). Not counted: softmax, LayerNorm, gelu,
 * embeddings and the sparse selection, all linear in the length with small constants.
 */
public final class Flops {
    private Flops() {
    }

    /** FLOPs of the encoder (plus pooler) on one document of t unmasked tokens. */
    public static double encoder(LsgConfig c, int t) {
        int b = c.blockSize();
        int g = c.numGlobalTokens();
        int tp = t <= 2 * b || t % b == 0 ? t : t + b - t % b;
        double rows = g + tp;
        double d = c.hiddenSize();
        double linear = 2 * rows * d * d * 4 + 2 * rows * d * c.intermediateSize() * 2;
        return c.numHiddenLayers() * (linear + attention(c, tp)) + 2 * d * d;
    }

    /** Attention FLOPs of one layer, all heads, at padded length tp. */
    private static double attention(LsgConfig c, int tp) {
        int b = c.blockSize();
        int g = c.numGlobalTokens();
        double perKey = 2.0 * 2 * c.headDim() * c.numAttentionHeads();   // per query and key
        if (!LsgSelfAttention.isLongPath(c, tp)) {
            return perKey * (g + tp) * (g + tp);
        }
        int[][] windows = c.hasSparseKeys()
                ? SparseWindows.compute(b, c.sparseBlockSize(), c.sparsityFactor(), tp / c.sparsityFactor(), tp)
                : null;
        double pairs = (double) g * (g + tp);
        for (int i = 0; i < tp / b; i++) {
            int keys = g + Math.min(tp, (i + 2) * b) - Math.max(0, (i - 1) * b);
            if (windows != null) {
                for (int p : windows[i]) {
                    keys += p >= 0 ? 1 : 0;
                }
            }
            pairs += (double) b * keys;
        }
        return perKey * pairs;
    }
}
