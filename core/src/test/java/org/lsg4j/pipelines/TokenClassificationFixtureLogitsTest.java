package org.lsg4j.pipelines;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Aggregation on the logits the PyTorch reference computed for the token-classification fixtures
 * (labels LABEL_0.., no B-/I- prefix), checked against softmax and grouping done here in double:
 * none gives each token its argmax; simple groups runs of equal labels with the mean score; with
 * the whole row as one word (no spaces), first takes the first token's label and average the
 * label of the mean probabilities.
 */
class TokenClassificationFixtureLogitsTest {

    @ParameterizedTest
    @ValueSource(strings = {"lsh-f2-tokcls", "pool-with-global-false-tokcls"})
    void aggregationOfReferenceLogits(String fixture) {
        try (SafeTensors in = SafeTensors.open(TinyTokenizerFolder.FIXTURES.resolve(fixture).resolve("inputs.safetensors"));
             SafeTensors out = SafeTensors.open(TinyTokenizerFolder.FIXTURES.resolve(fixture).resolve("outputs.safetensors"))) {
            LongTensor mask = in.longs("attention_mask");
            FloatTensor logits = out.floats("logits");
            int t = logits.dim(1);
            int labels = logits.dim(2);
            List<String> names = new ArrayList<>();
            for (int l = 0; l < labels; l++) {
                names.add("LABEL_" + l);
            }
            EntityAggregator aggregator = new EntityAggregator(names, ids -> "x".repeat(ids.length));
            for (int r = 0; r < logits.dim(0); r++) {
                int real = 0;
                for (int i = 0; i < t; i++) {
                    real += (int) mask.data()[r * t + i];
                }
                String text = "x".repeat(real - 2);
                List<TokenPrediction> tokens = new ArrayList<>();
                List<double[]> probabilities = new ArrayList<>();
                for (int i = 1; i < real - 1; i++) {
                    int from = (r * t + i) * labels;
                    tokens.add(new TokenPrediction(i, i, "x", i - 1, i, TokenClassificationAggregationTest.continuesWord(text, i - 1),
                            Scores.softmax(logits.data(), from, labels)));
                    probabilities.add(softmax(logits.data(), from, labels));
                }
                String where = fixture + " row " + r;
                checkNone(aggregator.aggregate(tokens, AggregationStrategy.NONE), probabilities, where);
                checkSimple(aggregator.aggregate(tokens, AggregationStrategy.SIMPLE), probabilities, where);
                List<Entity> first = aggregator.aggregate(tokens, AggregationStrategy.FIRST);
                assertEquals(List.of(new EntityGroup("LABEL_" + argmax(probabilities.get(0)),
                        first.get(0).score(), text, 0, text.length())), first, where);
                assertEquals(max(probabilities.get(0)), first.get(0).score(), 1e-6, where);
                double[] mean = new double[labels];
                probabilities.forEach(p -> {
                    for (int l = 0; l < labels; l++) {
                        mean[l] += p[l] / probabilities.size();
                    }
                });
                Entity average = aggregator.aggregate(tokens, AggregationStrategy.AVERAGE).get(0);
                assertEquals("LABEL_" + argmax(mean), average.label(), where);
                assertEquals(max(mean), average.score(), 1e-6, where);
            }
        }
    }

    private static void checkNone(List<Entity> entities, List<double[]> probabilities, String where) {
        assertEquals(probabilities.size(), entities.size(), where);
        for (int i = 0; i < entities.size(); i++) {
            TokenEntity e = (TokenEntity) entities.get(i);
            assertEquals("LABEL_" + argmax(probabilities.get(i)), e.entity(), where + " token " + i);
            assertEquals(max(probabilities.get(i)), e.score(), 1e-6, where + " token " + i);
            assertEquals(i + 1, e.index());
        }
    }

    private static void checkSimple(List<Entity> groups, List<double[]> probabilities, String where) {
        int g = 0;
        int from = 0;
        for (int i = 1; i <= probabilities.size(); i++) {
            if (i == probabilities.size() || argmax(probabilities.get(i)) != argmax(probabilities.get(from))) {
                double sum = 0;
                for (int k = from; k < i; k++) {
                    sum += max(probabilities.get(k));
                }
                Entity group = groups.get(g++);
                assertEquals("LABEL_" + argmax(probabilities.get(from)), group.label(), where);
                assertEquals(from, group.start(), where);
                assertEquals(i, group.end(), where);
                assertEquals(sum / (i - from), group.score(), 1e-6, where);
                from = i;
            }
        }
        assertEquals(g, groups.size(), where);
    }

    private static double[] softmax(float[] logits, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[from + i]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(logits[from + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static int argmax(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            b = v[i] > v[b] ? i : b;
        }
        return b;
    }

    private static double max(double[] v) {
        return v[argmax(v)];
    }
}
