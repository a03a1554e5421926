package org.lsg4j.kernels;

/**
 * Softmax attention of a few queries over a gathered set of keys: {@code out = softmax(q.k / sqrt(dh)) v}.
 * Masked keys are not passed in at all: with the reference's additive mask (the most negative float)
 * their probabilities are exactly zero, so leaving them out gives the same result.
 */
public final class Attention {
    private Attention() {
    }

    /**
     * @param q        queries: row i starts at {@code qOff + i * qStride}, {@code dh} values
     * @param nq       number of queries
     * @param keys     nk x dh, row-major
     * @param values   nk x dh, row-major
     * @param nk       number of keys (at least one)
     * @param scores   workspace of at least nk floats
     * @param out      row i written at {@code outOff + i * outStride}, {@code dh} values
     */
    public static void attend(float[] q, int qOff, int qStride, int nq,
                              float[] keys, float[] values, int nk, int dh,
                              float[] scores, float[] out, int outOff, int outStride) {
        float scale = (float) Math.sqrt(dh);
        for (int i = 0; i < nq; i++) {
            int qo = qOff + i * qStride;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < nk; j++) {
                float s = VectorMath.dot(q, qo, keys, j * dh, dh) / scale;
                scores[j] = s;
                max = Math.max(max, s);
            }
            float sum = Softmax.expInPlace(scores, nk, max);
            int oo = outOff + i * outStride;
            java.util.Arrays.fill(out, oo, oo + dh, 0f);
            float inv = 1f / sum;
            for (int j = 0; j < nk; j++) {
                VectorMath.axpy(scores[j] * inv, values, j * dh, out, oo, dh);
            }
        }
    }
}
