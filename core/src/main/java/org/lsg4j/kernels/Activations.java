package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise activations. */
public final class Activations {
    private static final VectorSpecies<Float> F = VectorMath.F;
    // erf(x) = x P(x^2) on [0, 1]
    private static final float[] P = {1.128379158e+00f, -3.761260541e-01f, 1.128342550e-01f, -2.684843288e-02f,
        5.179485238e-03f, -7.940239924e-04f, 7.640600196e-05f};
    // log(erfc(x)) + x^2 = Q(x - 2.5) on [1, 4]
    private static final float[] Q = {-1.556815297e+00f, -3.526805521e-01f, 5.610824967e-02f, -1.085377303e-02f,
        2.165586875e-03f, -4.319782852e-04f, 6.127735076e-05f, -2.179026400e-05f};
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private Activations() {
    }

    /** Exact GELU, {@code x/2 * (1 + erf(x / sqrt(2)))}, in place on {@code x[off .. off+n)}, vectorised. */
    public static void gelu(float[] x, int off, int n) {
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        int i = off;
        int upper = off + F.loopBound(n);
        for (; i < upper; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            erf(v.mul((float) SQRT_HALF)).add(1f).mul(v).mul(half).intoArray(x, i);
        }
        for (; i < off + n; i++) {
            x[i] = 0.5f * x[i] * (1f + erf(x[i] * (float) SQRT_HALF));
        }
    }

    /** gelu on n values from {@code x[off]}, split between the workers. */
    public static void gelu(Workers workers, float[] x, int off, int n) {
        int chunk = 16 * 1024;
        workers.run((n + chunk - 1) / chunk, (task, worker) ->
                gelu(x, off + task * chunk, Math.min(chunk, n - task * chunk)));
    }

    /**
     * erf in float32 to about 1e-7: {@code x P(x^2)} below |x| = 1, {@code 1 - exp(-x^2 + Q(|x| - 2.5))}
     * from 1 to 4, 1 beyond (erfc(4) is below half an ulp of 1). P and Q are least-squares fits
     * made for this class (weighted by x and by erfc respectively, degrees 6 and 7).
     */
    static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector u = a.mul(a);
        FloatVector p = FloatVector.broadcast(F, P[P.length - 1]);
        for (int j = P.length - 2; j >= 0; j--) {
            p = p.fma(u, FloatVector.broadcast(F, P[j]));
        }
        FloatVector small = p.mul(a);
        FloatVector am = a.min(4f);
        FloatVector t = am.sub(2.5f);
        FloatVector q = FloatVector.broadcast(F, Q[Q.length - 1]);
        for (int j = Q.length - 2; j >= 0; j--) {
            q = q.fma(t, FloatVector.broadcast(F, Q[j]));
        }
        FloatVector large = VectorMath.exp(am.neg().fma(am, q)).neg().add(1f);
        FloatVector r = large.blend(small, a.lt(1f));
        return r.blend(r.neg(), x.lt(0f));
    }

    /** The float32 erf of {@link #erf(FloatVector)} for one value. */
    static float erf(float x) {
        return erf(FloatVector.broadcast(F, x)).lane(0);
    }

    /** tanh in place on {@code x[off .. off+n)}, vectorised (see {@link #tanh(FloatVector)}). */
    public static void tanh(float[] x, int off, int n) {
        int i = off;
        int upper = off + F.loopBound(n);
        for (; i < upper; i += F.length()) {
            tanh(FloatVector.fromArray(F, x, i)).intoArray(x, i);
        }
        for (; i < off + n; i++) {
            x[i] = tanh(FloatVector.broadcast(F, x[i])).lane(0);
        }
    }

    /**
     * tanh per lane as {@code sign(u) (1 - e) / (1 + e)} with {@code e = exp(-2|u|)} from our own
     * exp, so the compiled and the interpreted forms agree (Math.tanh's intrinsic need not). The
     * absolute error stays below 1.5e-7; the relative error grows only where |tanh| is tiny.
     */
    static FloatVector tanh(FloatVector u) {
        FloatVector e = VectorMath.exp(u.abs().mul(-2f));
        FloatVector t = e.neg().add(1f).div(e.add(1f));
        return t.blend(t.neg(), u.lt(0f));
    }

    /**
     * The tanh approximation of GELU (Hugging Face {@code gelu_new}, PyTorch
     * {@code gelu(approximate="tanh")}): {@code x/2 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))},
     * in place on n values from {@code x[off]}, split between the workers.
     */
    public static void geluTanh(Workers workers, float[] x, int off, int n) {
        int chunk = 16 * 1024;
        workers.run((n + chunk - 1) / chunk, (task, worker) ->
                geluTanh(x, off + task * chunk, Math.min(chunk, n - task * chunk)));
    }

    private static void geluTanh(float[] x, int off, int n) {
        int i = off;
        int upper = off + F.loopBound(n);
        for (; i < upper; i += F.length()) {
            geluTanh(FloatVector.fromArray(F, x, i)).intoArray(x, i);
        }
        for (; i < off + n; i++) {
            x[i] = geluTanh(FloatVector.broadcast(F, x[i])).lane(0);
        }
    }

    private static FloatVector geluTanh(FloatVector v) {
        FloatVector inner = v.mul(v).mul(0.044715f).mul(v).add(v).mul((float) Math.sqrt(2 / Math.PI));
        return tanh(inner).add(1f).mul(v).mul(0.5f);
    }

    /** max(x, 0) in place on n values from {@code x[off]}, split between the workers. */
    public static void relu(Workers workers, float[] x, int off, int n) {
        int chunk = 16 * 1024;
        workers.run((n + chunk - 1) / chunk, (task, worker) -> {
            int from = off + task * chunk;
            int to = from + Math.min(chunk, n - task * chunk);
            for (int i = from; i < to; i++) {
                x[i] = Math.max(x[i], 0f);
            }
        });
    }

    /**
     * The error function to double precision (the reference for tests): its Maclaurin series below |x| = 3, and above that
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
