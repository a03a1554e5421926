package org.lsg4j.train;

/**
 * The learning-rate schedule of transformers' {@code get_linear_schedule_with_warmup}: after i
 * scheduler steps the rate is {@code lr * i / warmup} while {@code i < warmup}, then
 * {@code lr * max(0, (total - i) / (total - warmup))}. Step k of training (k from 1) uses i = k - 1,
 * so with one warm-up step the first update has rate 0.
 */
public record LinearSchedule(double lr, int warmup, int total) {

    /** The rate of training step k (1-based). */
    public double rate(int step) {
        int i = step - 1;
        double factor = i < warmup ? (double) i / Math.max(1, warmup)
                : Math.max(0.0, (double) (total - i) / Math.max(1, total - warmup));
        return lr * factor;
    }
}
