package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vectorised primitives on slices of float arrays. */
public final class VectorMath {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    /** sum_i a[aOff + i] * b[bOff + i] for i in [0, n). */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        int upper = F.loopBound(n);
        for (; i < upper; i += F.length()) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float s = sum(acc);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** y[yOff + i] += alpha * x[xOff + i] for i in [0, n). */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        int upper = F.loopBound(n);
        for (; i < upper; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /**
     * The sum of the lanes, added in lane order. {@code reduceLanes(ADD)} leaves the order open, and
     * the compiled and the interpreted vector code do not agree on it, so results would change by
     * an ulp once the JIT has warmed up.
     */
    public static float sum(FloatVector v) {
        float s = v.lane(0);
        for (int i = 1; i < v.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;          // ln 2 split so that k * LN2_HI is exact
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f;               // 1.5 * 2^23: adding it rounds to an integer
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float[] TAYLOR = {1f, 1f, 1f / 2, 1f / 6, 1f / 24, 1f / 120, 1f / 720};

    /**
     * e^x per lane to a few ulps: {@code x = k ln 2 + r} with {@code |r| <= ln 2 / 2}, {@code e^r} by its
     * Taylor polynomial of degree 6 (truncation error 1.2e-7 relative), times {@code 2^k} built in
     * the exponent bits. Arguments are clamped to [-87, 88] (so below -87 it gives e^-87, 1.6e-38).
     * Written out rather than {@code lanewise(EXP)}, whose compiled and interpreted forms differ in
     * the last bits. k is read from the bits of {@code x log2(e) + 1.5 * 2^23}, where the rounding
     * left it, and the clamps are compare-and-blend: both cost a fraction of a float-to-int
     * conversion and of {@code max}/{@code min}, which follow Java's rules for NaN and signed zeros.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector lo = FloatVector.broadcast(F, -87f);
        FloatVector hi = FloatVector.broadcast(F, 88f);
        FloatVector xc = x.blend(lo, x.lt(lo)).blend(hi, x.compare(VectorOperators.GT, hi));
        FloatVector kr = xc.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUND));
        FloatVector k = kr.sub(ROUND);
        FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), xc);
        r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, TAYLOR[TAYLOR.length - 1]);
        for (int j = TAYLOR.length - 2; j >= 0; j--) {
            p = p.fma(r, FloatVector.broadcast(F, TAYLOR[j]));
        }
        // the low bits of kr hold k (|k| < 2^22); (k + 127) << 23 is 2^k
        IntVector bits = kr.reinterpretAsInts().add(127 - ROUND_BITS).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /**
     * The larger of a and b per lane, for finite values: a compare and a blend, where {@code max}
     * also orders NaN and the signed zeros as Math.max does, at several times the cost.
     */
    static FloatVector max(FloatVector a, FloatVector b) {
        return a.blend(b, b.compare(VectorOperators.GT, a));
    }

    /**
     * {@code dst[dOff + c * dld + r] = src[sOff + r * sld + c]} for r below rows and c below cols:
     * the transpose of a rows x cols block, one gather of a vector of rows per column.
     */
    public static void transpose(float[] src, int sOff, int sld, int rows, int cols, float[] dst, int dOff, int dld) {
        int[] index = new int[F.length()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i * sld;
        }
        int r = 0;
        for (; r + F.length() <= rows; r += F.length()) {
            for (int c = 0; c < cols; c++) {
                FloatVector.fromArray(F, src, sOff + r * sld + c, index, 0).intoArray(dst, dOff + c * dld + r);
            }
        }
        for (; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[dOff + c * dld + r] = src[sOff + r * sld + c];
            }
        }
    }
}
