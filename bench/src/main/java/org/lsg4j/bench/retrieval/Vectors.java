package org.lsg4j.bench.retrieval;

import java.util.List;

/** Small vector helpers of the benchmark (the library's own pooling lives in EmbeddingPipeline). */
final class Vectors {
    private Vectors() {
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (double) a[j] * b[j];
        }
        return s;
    }

    /** {@code v} scaled to unit length, in place; returned for chaining. */
    static float[] normalized(float[] v) {
        double norm = Math.sqrt(dot(v, v));
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (v[j] / Math.max(norm, 1e-12));
        }
        return v;
    }

    /** The unit vector along the mean of the vectors. */
    static float[] meanDirection(List<float[]> vectors) {
        float[] m = new float[vectors.get(0).length];
        for (float[] v : vectors) {
            for (int j = 0; j < m.length; j++) {
                m[j] += v[j];
            }
        }
        return normalized(m);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double worst = 0;
        for (int j = 0; j < a.length; j++) {
            worst = Math.max(worst, Math.abs(a[j] - b[j]));
        }
        return worst;
    }
}
