package org.lsg4j.model;

/**
 * Dropout in training mode, from a seeded counter-based generator: whether element i of site s is
 * kept is a hash of (seed, s, i), so the backward pass regenerates the forward's masks instead of
 * storing them, and no mask depends on how work is split between threads. Kept elements are
 * scaled by 1 / (1 - p), as {@code nn.Dropout} does. The sites are the embeddings' output and, in
 * each layer application, the attention output and the feed-forward output (hidden_dropout_prob),
 * and the attention probabilities (attention_probs_dropout_prob).
 *
 * @param seed      the step's seed: a training loop passes a different one per step
 * @param p         the hidden dropout probability
 * @param attentionP the attention-probability dropout probability
 */
record Dropout(long seed, double p, double attentionP) {

    /** The site of the embeddings' output. */
    static final int EMBEDDINGS = 0;

    /** The site of an application's attention output (hidden dropout before the residual). */
    static int attentionOutput(int application) {
        return 1 + 3 * application;
    }

    /** The site of an application's feed-forward output. */
    static int feedForwardOutput(int application) {
        return 2 + 3 * application;
    }

    /** The site of an application's attention probabilities. */
    static int attentionProbabilities(int application) {
        return 3 + 3 * application;
    }

    /** Multiplies x[off + i] (i < n, element index {@code first + i}) by its mask: 0, or 1 / (1 - p). */
    void apply(int site, float[] x, int off, int n, long first) {
        if (p <= 0) {
            return;
        }
        float scale = (float) (1 / (1 - p));
        for (int i = 0; i < n; i++) {
            x[off + i] *= keep(site, first + i, p) ? scale : 0f;
        }
    }

    /**
     * The attention-probability factors of elements {@code first .. first + n - 1} of a site: 0, or
     * 1 / (1 - attentionP), into {@code out[0 .. n)}.
     */
    void attentionFactors(int site, long first, float[] out, int n) {
        float scale = (float) (1 / (1 - attentionP));
        for (int i = 0; i < n; i++) {
            out[i] = keep(site, first + i, attentionP) ? scale : 0f;
        }
    }

    private boolean keep(int site, long index, double prob) {
        long z = seed + 0x9E3779B97F4A7C15L * (site + 1) + 0xD1B54A32D192ED03L * index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 >= prob;
    }
}
