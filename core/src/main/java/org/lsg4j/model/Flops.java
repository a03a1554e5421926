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
        LsgGeometry geo = LsgGeometry.of(c, t);
        double rows = geo.rows();
        double d = c.hiddenSize();
        double linear = 2 * rows * d * d * 4 + 2 * rows * d * c.intermediateSize() * 2;
        double perLayer = linear + attention(geo);
        int applied = 0;
        for (int[] step : c.family().layers().schedule().apply(c)) {
            applied += step.length;
        }
        return applied * perLayer + 2 * d * d;
    }

    /** Attention FLOPs of one layer, all heads, with the keys each query group actually sees. */
    private static double attention(LsgGeometry geo) {
        LsgConfig c = geo.config();
        int b = c.blockSize();
        int g = c.numGlobalTokens();
        double perKey = 2.0 * 2 * c.headDim() * c.numAttentionHeads();   // per query and key
        if (!geo.longPath()) {
            return perKey * geo.rows() * geo.rows();
        }
        double pairs = (double) g * geo.rows();
        for (int i = 0; i < geo.blocks(); i++) {
            int keys = g + geo.localTo(i) - geo.localFrom(i);
            if (geo.withSparseKeys()) {
                for (int p : geo.window(i)) {
                    keys += p >= 0 ? 1 : 0;
                }
            }
            pairs += (double) b * keys;
        }
        return perKey * pairs;
    }
}
