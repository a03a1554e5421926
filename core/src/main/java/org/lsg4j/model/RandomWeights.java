package org.lsg4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Weights drawn from a seed for benchmarks, under the names a checkpoint of the base model or of
 * the masked-LM head uses: matrices uniform with standard deviation 0.02 (RoBERTa's
 * initializer_range), LayerNorm weights near 1, biases small. Each tensor is drawn when it is
 * read, from the seed and its name, so nothing is held twice.
 */
final class RandomWeights implements WeightSource {
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final long seed;

    RandomWeights(LsgConfig c, Head head, long seed) {
        if (head != Head.BASE && head != Head.MASKED_LM) {
            throw new IllegalArgumentException("random weights are made for the base and masked-LM models, not " + head);
        }
        this.seed = seed;
        int d = c.hiddenSize();
        int inter = c.intermediateSize();
        String p = head == Head.BASE ? "" : "roberta.";
        matrix(p + "embeddings.word_embeddings", c.vocabSize(), d);
        matrix(p + "embeddings.position_embeddings", c.maxPositionEmbeddings(), d);
        matrix(p + "embeddings.token_type_embeddings", c.typeVocabSize(), d);
        matrix(p + "embeddings.global_embeddings", LsgConfig.GLOBAL_EMBEDDING_ROWS, d);
        norm(p + "embeddings.LayerNorm", d);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = p + "encoder.layer." + i + ".";
            for (String name : new String[]{"query", "key", "value"}) {
                linear(l + "attention.self." + name, d, d);
            }
            linear(l + "attention.output.dense", d, d);
            norm(l + "attention.output.LayerNorm", d);
            linear(l + "intermediate.dense", d, inter);
            linear(l + "output.dense", inter, d);
            norm(l + "output.LayerNorm", d);
        }
        if (head == Head.BASE) {
            linear("pooler.dense", d, d);
        } else {
            linear("lm_head.dense", d, d);
            norm("lm_head.layer_norm", d);
            shapes.put("lm_head.bias", new int[]{c.vocabSize()});
        }
    }

    private void matrix(String name, int rows, int cols) {
        shapes.put(name + ".weight", new int[]{rows, cols});
    }

    private void linear(String name, int in, int out) {
        matrix(name, out, in);
        shapes.put(name + ".bias", new int[]{out});
    }

    private void norm(String name, int d) {
        shapes.put(name + ".weight", new int[]{d});
        shapes.put(name + ".bias", new int[]{d});
    }

    @Override
    public Set<String> keys() {
        return shapes.keySet();
    }

    @Override
    public int[] shape(String key) {
        return shapes.get(key).clone();
    }

    @Override
    public float[] get(String key) {
        int[] shape = shapes.get(key);
        int size = shape.length == 1 ? shape[0] : shape[0] * shape[1];
        SplittableRandom random = new SplittableRandom(seed ^ key.hashCode() * 0x9E3779B97F4A7C15L);
        boolean normWeight = key.endsWith("LayerNorm.weight") || key.endsWith("layer_norm.weight");
        float centre = normWeight ? 1f : 0f;
        float halfWidth = shape.length == 2 ? 0.02f * (float) Math.sqrt(3) : 0.05f;
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = centre + halfWidth * (2 * random.nextFloat() - 1);
        }
        return values;
    }

    @Override
    public String source(String key) {
        return "random weights (seed " + seed + ")";
    }
}
