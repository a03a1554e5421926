package org.lsg4j.train;

import java.util.TreeSet;

/**
 * The evaluation metrics of the classification tasks, as scikit-learn computes them: accuracy,
 * macro-F1 over the labels present in the gold or the predicted labels (a label with no true and
 * no predicted positive is not averaged; an undefined F1 counts as 0), and micro-F1 over every
 * (example, label) decision of a multi-label task.
 */
final class Metrics {
    private Metrics() {
    }

    /** The fraction of predictions equal to the gold label. */
    static double accuracy(int[] gold, int[] predicted) {
        int right = 0;
        for (int i = 0; i < gold.length; i++) {
            right += gold[i] == predicted[i] ? 1 : 0;
        }
        return gold.length == 0 ? 0 : (double) right / gold.length;
    }

    /** {@code f1_score(gold, predicted, average="macro")}. */
    static double macroF1(int[] gold, int[] predicted) {
        TreeSet<Integer> labels = new TreeSet<>();
        for (int i = 0; i < gold.length; i++) {
            labels.add(gold[i]);
            labels.add(predicted[i]);
        }
        double sum = 0;
        for (int label : labels) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < gold.length; i++) {
                boolean g = gold[i] == label;
                boolean p = predicted[i] == label;
                tp += g && p ? 1 : 0;
                fp += !g && p ? 1 : 0;
                fn += g && !p ? 1 : 0;
            }
            sum += f1(tp, fp, fn);
        }
        return labels.isEmpty() ? 0 : sum / labels.size();
    }

    /** {@code f1_score(gold, predicted, average="micro")} over multi-hot rows (n x labels, 0 or 1). */
    static double microF1(boolean[][] gold, boolean[][] predicted) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < gold.length; i++) {
            for (int k = 0; k < gold[i].length; k++) {
                tp += gold[i][k] && predicted[i][k] ? 1 : 0;
                fp += !gold[i][k] && predicted[i][k] ? 1 : 0;
                fn += gold[i][k] && !predicted[i][k] ? 1 : 0;
            }
        }
        return f1(tp, fp, fn);
    }

    /** F1 from counts: 2 tp / (2 tp + fp + fn), 0 when there is nothing to count. */
    static double f1(int tp, int fp, int fn) {
        int denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0 : 2.0 * tp / denominator;
    }
}
