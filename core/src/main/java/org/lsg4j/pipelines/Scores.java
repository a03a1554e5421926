package org.lsg4j.pipelines;

import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/** The score arithmetic of the pipelines, in float32 as numpy and torch do it. */
final class Scores {
    private Scores() {
    }

    /** exp(x - max) / sum over {@code x[from, from + n)}. */
    static float[] softmax(float[] x, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[from + i]);
        }
        float[] out = new float[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.exp(x[from + i] - max);
            sum += out[i];
        }
        float total = (float) sum;
        for (int i = 0; i < n; i++) {
            out[i] /= total;
        }
        return out;
    }

    /** 1 / (1 + exp(-x)) for each of {@code x[from, from + n)}. */
    static float[] sigmoid(float[] x, int from, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (1.0 / (1.0 + Math.exp(-x[from + i])));
        }
        return out;
    }

    /**
     * The indices of the {@code k} highest scores, highest first; equal scores keep index order.
     */
    static int[] top(float[] scores, int k) {
        Comparator<Integer> order = Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i);
        if (k >= scores.length) {
            return IntStream.range(0, scores.length).boxed().sorted(order).mapToInt(Integer::intValue).toArray();
        }
        PriorityQueue<Integer> best = new PriorityQueue<>(k + 1, order.reversed());
        for (int i = 0; i < scores.length; i++) {
            best.add(i);
            if (best.size() > k) {
                best.poll();
            }
        }
        Integer[] out = best.toArray(new Integer[0]);
        Arrays.sort(out, order);
        return Arrays.stream(out).mapToInt(Integer::intValue).toArray();
    }
}
