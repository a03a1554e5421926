package org.lsg4j.pipelines;

/** Softmax as the pipelines post-process logits: {@code exp(x - max) / sum}, in float. */
final class Probabilities {
    private Probabilities() {
    }

    /** The softmax of {@code logits[from, from + n)}. */
    static float[] softmax(float[] logits, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[from + i]);
        }
        float[] p = new float[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = (float) Math.exp(logits[from + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] = (float) (p[i] / sum);
        }
        return p;
    }
}
