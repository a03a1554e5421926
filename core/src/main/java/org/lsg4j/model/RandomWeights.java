package org.lsg4j.model;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weights drawn from a seed for benchmarks: whatever tensor a model of any family asks for is made
 * on demand from the seed and its name, so nothing is held twice. Matrices are uniform with
 * standard deviation 0.02 (the families' initializer_range), LayerNorm weights near 1, biases
 * small.
 */
final class RandomWeights implements WeightSource {
    private final Set<String> made = ConcurrentHashMap.newKeySet();
    private final long seed;

    RandomWeights(long seed) {
        this.seed = seed;
    }

    @Override
    public boolean has(String key) {
        return true;
    }

    @Override
    public Set<String> keys() {
        return Set.copyOf(made);
    }

    @Override
    public float[] take(String key, int[] shape) {
        made.add(key);
        long size = 1;
        for (int s : shape) {
            size *= s;
        }
        SplittableRandom random = new SplittableRandom(seed ^ key.hashCode() * 0x9E3779B97F4A7C15L);
        boolean normWeight = shape.length == 1 && key.toLowerCase(java.util.Locale.ROOT).endsWith("norm.weight");
        float centre = normWeight ? 1f : 0f;
        float halfWidth = shape.length == 2 ? 0.02f * (float) Math.sqrt(3) : 0.05f;
        float[] values = new float[Math.toIntExact(size)];
        for (int i = 0; i < values.length; i++) {
            values[i] = centre + halfWidth * (2 * random.nextFloat() - 1);
        }
        return values;
    }
}
