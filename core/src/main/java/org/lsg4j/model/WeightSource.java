package org.lsg4j.model;

import org.lsg4j.io.Checkpoint;

import java.util.Set;

/** Where a model's weights come from: a checkpoint on disk, or weights made in memory. */
interface WeightSource {
    Set<String> keys();

    int[] shape(String key);

    /** The float32 values of key, row-major. */
    float[] get(String key);

    /** Names where key comes from, for error messages. */
    String source(String key);

    static WeightSource of(Checkpoint checkpoint) {
        return new WeightSource() {
            @Override
            public Set<String> keys() {
                return checkpoint.keys();
            }

            @Override
            public int[] shape(String key) {
                return checkpoint.shape(key);
            }

            @Override
            public float[] get(String key) {
                return checkpoint.get(key).data();
            }

            @Override
            public String source(String key) {
                return checkpoint.source(key);
            }
        };
    }
}
