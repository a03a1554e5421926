package org.lsg4j.tensor;

/**
 * An elementwise tolerance {@code |actual - expected| <= abs + rel * |expected|}, the check lsg4j
 * uses against reference outputs.
 */
public record Tolerance(double abs, double rel) {
    /** The project's float32 parity tolerance against the PyTorch reference. */
    public static final Tolerance PARITY = new Tolerance(2e-5, 2e-5);

    /** The worst element of a comparison: its index, values, error and error / allowed. */
    public record Worst(int index, float expected, float actual, double error, double ratio) {
        public boolean within() {
            return ratio <= 1;
        }
    }

    /**
     * Compares two arrays of the same length. A NaN matches only a NaN; a NaN on one side only
     * counts as an infinite ratio.
     */
    public Worst compare(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("lengths differ: " + expected.length + " vs " + actual.length);
        }
        Worst worst = new Worst(-1, 0, 0, 0, 0);
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            double error;
            double ratio;
            if (Float.isNaN(e) || Float.isNaN(a)) {
                error = Float.isNaN(e) && Float.isNaN(a) ? 0 : Double.POSITIVE_INFINITY;
                ratio = error;
            } else {
                error = Math.abs((double) a - e);
                ratio = error / (abs + rel * Math.abs(e));
            }
            if (ratio > worst.ratio() || worst.index() < 0) {
                worst = new Worst(i, e, a, error, ratio);
            }
        }
        return worst;
    }
}
