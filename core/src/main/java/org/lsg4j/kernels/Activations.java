package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise activations and their gradients, vectorised, each forward next to its backward.
 * Every value goes through the same vector code (the last, partial vector under a mask), so a
 * result never depends on where in the array its input sits. The forms that take {@link Workers}
 * split the n values in fixed chunks of {@link #CHUNK}. Outputs may alias inputs: {@code y} may be
 * {@code x} and {@code dx} may be {@code dy} (same offsets).
 */
public final class Activations {
    private static final VectorSpecies<Float> F = VectorMath.F;
    private static final int L = F.length();
    /** Values per task of the workers forms. */
    static final int CHUNK = 16 * 1024;
    // erf(x) = x P(x^2) on [0, 1]
    private static final float[] P = {1.128379158e+00f, -3.761260541e-01f, 1.128342550e-01f, -2.684843288e-02f,
        5.179485238e-03f, -7.940239924e-04f, 7.640600196e-05f};
    // log(erfc(x)) + x^2 = Q(x - 2.5) on [1, 4]
    private static final float[] Q = {-1.556815297e+00f, -3.526805521e-01f, 5.610824967e-02f, -1.085377303e-02f,
        2.165586875e-03f, -4.319782852e-04f, 6.127735076e-05f, -2.179026400e-05f};
    // tanh(x) = x + x^3 T(x^2) on [0, 0.625] (least squares on the relative error, 5e-10)
    private static final float[] T = {-3.333333129e-01f, 1.333322606e-01f, -5.394939667e-02f, 2.171555269e-02f,
        -8.214972292e-03f, 2.178023523e-03f};
    private static final float TANH_SMALL = 0.625f;
    private static final float SQRT_HALF = (float) Math.sqrt(0.5);
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    // gelu_new (tanh approximation): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    private static final float GELU_TANH_C = (float) Math.sqrt(2 / Math.PI);
    private static final float GELU_TANH_A = 0.044715f;

    private Activations() {
    }

    /** The values [from, from + count) of a split of n between workers. */
    @FunctionalInterface
    private interface Range {
        void run(int from, int count);
    }

    private static void split(Workers workers, int n, Range body) {
        workers.run((n + CHUNK - 1) / CHUNK, (task, worker) -> body.run(task * CHUNK, Math.min(CHUNK, n - task * CHUNK)));
    }

    // ---- exact GELU: x/2 (1 + erf(x / sqrt 2)); d/dx = Phi(x) + x phi(x)

    /** Exact GELU in place on {@code x[off .. off+n)}. */
    public static void gelu(float[] x, int off, int n) {
        gelu(x, off, x, off, n);
    }

    /** Exact GELU in place on n values from {@code x[off]}, split between the workers. */
    public static void gelu(Workers workers, float[] x, int off, int n) {
        gelu(workers, x, off, x, off, n);
    }

    /** {@code y = gelu(x)} (exact) on n values, split between the workers. */
    public static void gelu(Workers workers, float[] x, int xOff, float[] y, int yOff, int n) {
        split(workers, n, (i, m) -> gelu(x, xOff + i, y, yOff + i, m));
    }

    /** {@code dx = dy * gelu'(x)} (exact GELU) on n values, split between the workers; x is the forward's input. */
    public static void geluBackward(Workers workers, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff,
                                    int n) {
        split(workers, n, (i, m) -> geluBackward(x, xOff + i, dy, dyOff + i, dx, dxOff + i, m));
    }

    private static void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (; i < F.loopBound(n); i += L) {
            gelu(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            gelu(FloatVector.fromArray(F, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    private static FloatVector gelu(FloatVector x) {
        return erf(x.mul(SQRT_HALF)).add(1f).mul(x).mul(0.5f);
    }

    private static void geluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (; i < F.loopBound(n); i += L) {
            geluGrad(FloatVector.fromArray(F, x, xOff + i)).mul(FloatVector.fromArray(F, dy, dyOff + i))
                    .intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            geluGrad(FloatVector.fromArray(F, x, xOff + i, m)).mul(FloatVector.fromArray(F, dy, dyOff + i, m))
                    .intoArray(dx, dxOff + i, m);
        }
    }

    /** gelu'(x) = (1 + erf(x / sqrt 2)) / 2 + x exp(-x^2 / 2) / sqrt(2 pi). */
    private static FloatVector geluGrad(FloatVector x) {
        FloatVector cdf = erf(x.mul(SQRT_HALF)).add(1f).mul(0.5f);
        FloatVector pdf = VectorMath.exp(x.mul(x).mul(-0.5f)).mul(INV_SQRT_2PI);
        return x.fma(pdf, cdf);
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
        FloatVector four = FloatVector.broadcast(F, 4f);
        FloatVector am = a.blend(four, a.compare(VectorOperators.GT, four));   // min(a, 4), see VectorMath.max
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

    // ---- tanh-approximation GELU (Hugging Face "gelu_new"): 0.5 x (1 + tanh(c (x + a x^3))), c = sqrt(2/pi)

    /** {@code y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} on n values, split between the workers. */
    public static void geluTanh(Workers workers, float[] x, int xOff, float[] y, int yOff, int n) {
        split(workers, n, (i, m) -> geluTanh(x, xOff + i, y, yOff + i, m));
    }

    /** {@code dx = dy * d/dx geluTanh(x)} on n values, split between the workers; x is the forward's input. */
    public static void geluTanhBackward(Workers workers, float[] x, int xOff, float[] dy, int dyOff, float[] dx,
                                        int dxOff, int n) {
        split(workers, n, (i, m) -> geluTanhBackward(x, xOff + i, dy, dyOff + i, dx, dxOff + i, m));
    }

    private static void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (; i < F.loopBound(n); i += L) {
            geluTanh(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            geluTanh(FloatVector.fromArray(F, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    private static FloatVector geluTanh(FloatVector x) {
        return tanh(geluTanhArgument(x)).add(1f).mul(x).mul(0.5f);
    }

    /** {@code sqrt(2/pi) (x + 0.044715 x^3)}. */
    private static FloatVector geluTanhArgument(FloatVector x) {
        return x.mul(x).mul(GELU_TANH_A).fma(x, x).mul(GELU_TANH_C);
    }

    private static void geluTanhBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (; i < F.loopBound(n); i += L) {
            geluTanhGrad(FloatVector.fromArray(F, x, xOff + i)).mul(FloatVector.fromArray(F, dy, dyOff + i))
                    .intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            geluTanhGrad(FloatVector.fromArray(F, x, xOff + i, m)).mul(FloatVector.fromArray(F, dy, dyOff + i, m))
                    .intoArray(dx, dxOff + i, m);
        }
    }

    /** With t = tanh(u), u = c (x + a x^3): {@code (1 + t) / 2 + x (1 - t^2) c (1 + 3 a x^2) / 2}. */
    private static FloatVector geluTanhGrad(FloatVector x) {
        FloatVector t = tanh(geluTanhArgument(x));
        FloatVector du = x.mul(x).mul(3 * GELU_TANH_A).add(1f).mul(GELU_TANH_C);
        FloatVector dt = t.neg().fma(t, FloatVector.broadcast(F, 1f));
        return x.mul(dt).fma(du, t.add(1f)).mul(0.5f);
    }

    // ---- relu

    /** {@code y = max(x, 0)} on n values, split between the workers. */
    public static void relu(Workers workers, float[] x, int xOff, float[] y, int yOff, int n) {
        split(workers, n, (from, m) -> {
            int i = 0;
            for (; i < F.loopBound(m); i += L) {
                FloatVector.fromArray(F, x, xOff + from + i).max(0f).intoArray(y, yOff + from + i);
            }
            if (i < m) {
                VectorMask<Float> k = F.indexInRange(i, m);
                FloatVector.fromArray(F, x, xOff + from + i, k).max(0f).intoArray(y, yOff + from + i, k);
            }
        });
    }

    /** {@code dx = x > 0 ? dy : 0} on n values, split between the workers; x is the forward's input. */
    public static void reluBackward(Workers workers, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff,
                                    int n) {
        split(workers, n, (from, m) -> {
            int i = 0;
            for (; i < F.loopBound(m); i += L) {
                FloatVector g = FloatVector.fromArray(F, dy, dyOff + from + i);
                FloatVector.zero(F).blend(g, FloatVector.fromArray(F, x, xOff + from + i).compare(VectorOperators.GT, 0f))
                        .intoArray(dx, dxOff + from + i);
            }
            if (i < m) {
                VectorMask<Float> k = F.indexInRange(i, m);
                FloatVector g = FloatVector.fromArray(F, dy, dyOff + from + i, k);
                FloatVector.zero(F).blend(g, FloatVector.fromArray(F, x, xOff + from + i, k).compare(VectorOperators.GT, 0f))
                        .intoArray(dx, dxOff + from + i, k);
            }
        });
    }

    // ---- tanh

    /** tanh in place on {@code x[off .. off+n)}. */
    public static void tanh(float[] x, int off, int n) {
        tanh(x, off, x, off, n);
    }

    /** {@code y = tanh(x)} on n values, split between the workers. */
    public static void tanh(Workers workers, float[] x, int xOff, float[] y, int yOff, int n) {
        split(workers, n, (i, m) -> tanh(x, xOff + i, y, yOff + i, m));
    }

    /** {@code dx = dy (1 - y^2)} on n values, split between the workers; y is the forward's output. */
    public static void tanhBackward(Workers workers, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff,
                                    int n) {
        split(workers, n, (from, m) -> {
            int i = 0;
            for (; i < F.loopBound(m); i += L) {
                FloatVector t = FloatVector.fromArray(F, y, yOff + from + i);
                t.neg().fma(t, FloatVector.broadcast(F, 1f)).mul(FloatVector.fromArray(F, dy, dyOff + from + i))
                        .intoArray(dx, dxOff + from + i);
            }
            if (i < m) {
                VectorMask<Float> k = F.indexInRange(i, m);
                FloatVector t = FloatVector.fromArray(F, y, yOff + from + i, k);
                t.neg().fma(t, FloatVector.broadcast(F, 1f)).mul(FloatVector.fromArray(F, dy, dyOff + from + i, k))
                        .intoArray(dx, dxOff + from + i, k);
            }
        });
    }

    private static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (; i < F.loopBound(n); i += L) {
            tanh(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            tanh(FloatVector.fromArray(F, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    /**
     * tanh per lane to a few ulps: {@code x + x^3 T(x^2)} below |x| = 0.625, where the exponential
     * form would cancel, and {@code (1 - e^{-2|x|}) / (1 + e^{-2|x|})} above; then the sign bit of x.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector u = a.mul(a);
        FloatVector p = FloatVector.broadcast(F, T[T.length - 1]);
        for (int j = T.length - 2; j >= 0; j--) {
            p = p.fma(u, FloatVector.broadcast(F, T[j]));
        }
        FloatVector small = p.mul(u).fma(a, a);
        FloatVector e = VectorMath.exp(a.mul(-2f));
        FloatVector large = e.neg().add(1f).div(e.add(1f));
        IntVector magnitude = large.blend(small, a.lt(TANH_SMALL)).reinterpretAsInts();
        IntVector sign = x.reinterpretAsInts().and(Integer.MIN_VALUE);
        return magnitude.or(sign).reinterpretAsFloats();
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
