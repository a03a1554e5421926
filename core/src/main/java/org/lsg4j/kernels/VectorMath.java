package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
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
        float s = acc.reduceLanes(VectorOperators.ADD);
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

}
