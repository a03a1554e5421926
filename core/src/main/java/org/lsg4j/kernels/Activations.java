package org.lsg4j.kernels;

/** Element-wise activations. */
public final class Activations {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private Activations() {
    }

    /** Exact GELU, {@code x/2 * (1 + erf(x / sqrt(2)))}, in place on {@code x[off .. off+n)}. */
    public static void gelu(float[] x, int off, int n) {
        for (int i = off; i < off + n; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * (1.0 + erf(v * SQRT_HALF)));
        }
    }

    /** tanh in place on {@code x[off .. off+n)}. */
    public static void tanh(float[] x, int off, int n) {
        for (int i = off; i < off + n; i++) {
            x[i] = (float) Math.tanh(x[i]);
        }
    }

    /**
     * The error function to double precision: its Maclaurin series below |x| = 3, and above that
     * the continued fraction of erfc (evaluated with the modified Lentz method).
     */
    public static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 3.0) {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            double x2 = a * a;
            double term = a;
            double sum = a;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            r = TWO_OVER_SQRT_PI * sum;
        } else if (a < 10.0) {
            r = 1.0 - erfcContinuedFraction(a);
        } else {
            r = 1.0;
        }
        return x < 0 ? -r : r;
    }

    /** erfc(a) for a >= 3: exp(-a^2)/sqrt(pi) * 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))). */
    private static double erfcContinuedFraction(double a) {
        double tiny = 1e-300;
        double f = a;
        double c = a;
        double d = 0;
        for (int k = 1; k < 200; k++) {
            double ak = k * 0.5;
            d = a + ak * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = a + ak / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return Math.exp(-a * a) / (Math.sqrt(Math.PI) * f);
    }
}
