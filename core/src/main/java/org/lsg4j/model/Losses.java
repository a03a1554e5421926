package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tensor.Tensor;

/** The losses of the heads, as PyTorch computes them (means over the counted elements). */
final class Losses {
    /** PyTorch's default ignore_index for cross-entropy. */
    static final int IGNORE_INDEX = -100;

    private Losses() {
    }

    /**
     * Mean cross-entropy of rows x classes logits against class targets, skipping targets equal
     * to {@code ignore}; NaN when every target is ignored, as in PyTorch.
     *
     * @param grad  null, or receives {@code scale * dloss/dlogits} (added): (softmax - onehot) / counted
     */
    static float crossEntropy(float[] logits, int rows, int classes, long[] targets, long ignore, String what,
                              float[] grad, float scale) {
        double total = 0;
        int counted = 0;
        for (long y : targets) {
            counted += y == ignore ? 0 : 1;
        }
        int kept = counted;
        counted = 0;
        for (int r = 0; r < rows; r++) {
            long y = targets[r];
            if (y == ignore) {
                continue;
            }
            if (y < 0 || y >= classes) {
                throw new LsgException(what + ": target " + y + " at index " + r + " is outside [0, " + classes + ")"
                        + (ignore == IGNORE_INDEX ? " and is not the ignore index -100" : ""));
            }
            int o = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[o + k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(logits[o + k] - max);
            }
            total += max + Math.log(sum) - logits[o + (int) y];
            counted++;
            if (grad != null) {
                for (int k = 0; k < classes; k++) {
                    double p = Math.exp(logits[o + k] - max) / sum - (k == y ? 1 : 0);
                    grad[o + k] += (float) (scale * p / kept);
                }
            }
        }
        return (float) (total / counted);
    }

    /** Mean squared error over all elements; grad (null for none) receives {@code scale * 2 (p - y) / N}. */
    static float mse(float[] predictions, float[] targets, float[] grad, float scale) {
        double total = 0;
        for (int i = 0; i < predictions.length; i++) {
            double e = (double) predictions[i] - targets[i];
            total += e * e;
            if (grad != null) {
                grad[i] += (float) (scale * 2 * e / predictions.length);
            }
        }
        return (float) (total / predictions.length);
    }

    /** Mean binary cross-entropy with logits; grad (null for none) receives {@code scale * (sigmoid(x) - y) / N}. */
    static float bceWithLogits(float[] logits, float[] targets, float[] grad, float scale) {
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            double x = logits[i];
            total += Math.max(x, 0) - x * targets[i] + Math.log1p(Math.exp(-Math.abs(x)));
            if (grad != null) {
                grad[i] += (float) (scale * (1 / (1 + Math.exp(-x)) - targets[i]) / logits.length);
            }
        }
        return (float) (total / logits.length);
    }

    /** Class targets: int64 labels holding exactly {@code count} values. */
    static long[] classTargets(Tensor labels, int count, String name) {
        if (!(labels instanceof LongTensor l)) {
            throw new LsgException(name + ": expected int64 class labels, found float32");
        }
        if (l.data().length != count) {
            throw new LsgException(name + ": expected " + count + " labels, found shape " + l.shapeString());
        }
        return l.data();
    }

    /** Float targets (regression, multi-label) holding exactly {@code count} values; int64 labels are converted. */
    static float[] floatTargets(Tensor labels, int count, String name) {
        float[] out = new float[count];
        int size = labels instanceof LongTensor l ? l.data().length : ((FloatTensor) labels).data().length;
        if (size != count) {
            throw new LsgException(name + ": expected " + count + " labels, found shape " + labels.shapeString());
        }
        for (int i = 0; i < count; i++) {
            out[i] = labels instanceof LongTensor l ? l.data()[i] : ((FloatTensor) labels).data()[i];
        }
        return out;
    }
}
