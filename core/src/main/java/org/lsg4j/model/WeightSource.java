package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.io.Checkpoint;

import java.util.Arrays;
import java.util.Set;

/** Where a model's weights come from: a checkpoint on disk, or weights made in memory. */
interface WeightSource {
    /** Whether the source can give {@code key}. */
    boolean has(String key);

    /** The keys the source holds (for a source that makes weights on demand: those it has made). */
    Set<String> keys();

    /** The float32 values of key, row-major, which must have exactly {@code shape}. */
    float[] take(String key, int[] shape);

    /**
     * Fails naming {@code what} at the first NaN or infinity: such a weight makes every output
     * NaN, so it is refused when loaded rather than discovered in the results.
     */
    static void requireFinite(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new LsgException(what + " holds " + values[i] + " at flat index " + i
                        + ": weights must be finite");
            }
        }
    }

    /**
     * The keys of {@code source} with {@code prefix} before each: a base model's checkpoint read as
     * the encoder of a task model ({@code embeddings.*} as {@code bert.embeddings.*}), so that a
     * trainable model's parameters have the names the task class saves them under.
     */
    static WeightSource prefixed(WeightSource source, String prefix) {
        return new WeightSource() {
            @Override
            public boolean has(String key) {
                return key.startsWith(prefix) && source.has(key.substring(prefix.length()));
            }

            @Override
            public Set<String> keys() {
                Set<String> out = new java.util.LinkedHashSet<>();
                source.keys().forEach(k -> out.add(prefix + k));
                return out;
            }

            @Override
            public float[] take(String key, int[] shape) {
                return source.take(key.substring(prefix.length()), shape);
            }
        };
    }

    static WeightSource of(Checkpoint checkpoint) {
        return new WeightSource() {
            @Override
            public boolean has(String key) {
                return checkpoint.keys().contains(key);
            }

            @Override
            public Set<String> keys() {
                return checkpoint.keys();
            }

            @Override
            public float[] take(String key, int[] shape) {
                int[] found = checkpoint.shape(key);
                if (!Arrays.equals(found, shape)) {
                    throw new LsgException(checkpoint.source(key) + ": tensor \"" + key + "\" has shape "
                            + Arrays.toString(found) + ", expected " + Arrays.toString(shape) + " from config.json");
                }
                float[] values = checkpoint.get(key).data();
                requireFinite(values, checkpoint.source(key) + ": tensor \"" + key + "\"");
                return values;
            }
        };
    }
}
