package org.lsg4j.bench;

import java.util.SplittableRandom;

/** Benchmark inputs. */
final class Data {
    private Data() {
    }

    /** n values uniform in [-1, 1) from a seed. */
    static float[] values(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
