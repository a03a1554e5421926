package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Softmax pieces, vectorised. */
public final class Softmax {
    private static final VectorSpecies<Float> F = VectorMath.F;

    private Softmax() {
    }

    /**
     * {@code x[off + j] = softmax_j(scale * x[off + j])} over j in [0, n), and zero on [n, width):
     * the probabilities of one row of scores, padded. The last, partial vector goes through the
     * same code under a mask.
     */
    public static void row(float[] x, int off, int n, int width, float scale) {
        int upper = F.loopBound(n);
        VectorMask<Float> tail = F.indexInRange(upper, n);
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j < upper; j += F.length()) {
            vmax = VectorMath.max(vmax, FloatVector.fromArray(F, x, off + j));
        }
        vmax = VectorMath.max(vmax, vmax.blend(FloatVector.fromArray(F, x, off + j, tail), tail));
        float max = vmax.reduceLanes(VectorOperators.MAX);
        // softmax(scale * x) = exp(scale * (x - max)) / sum, as scale > 0
        FloatVector vmaxAll = FloatVector.broadcast(F, max);
        FloatVector vsum = FloatVector.zero(F);
        for (j = 0; j < upper; j += F.length()) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, x, off + j).sub(vmaxAll).mul(scale));
            e.intoArray(x, off + j);
            vsum = vsum.add(e);
        }
        FloatVector e = VectorMath.exp(FloatVector.fromArray(F, x, off + j, tail).sub(vmaxAll).mul(scale));
        e.intoArray(x, off + j, tail);
        vsum = vsum.add(FloatVector.zero(F).blend(e, tail));
        float inv = 1f / VectorMath.sum(vsum);
        for (j = 0; j < upper; j += F.length()) {
            FloatVector.fromArray(F, x, off + j).mul(inv).intoArray(x, off + j);
        }
        FloatVector.fromArray(F, x, off + j, tail).mul(inv).intoArray(x, off + j, tail);
        java.util.Arrays.fill(x, off + n, off + width, 0f);
    }

    /**
     * Softmax down each of the first {@code cols} columns of a rows x ld matrix at {@code x[off]},
     * less its division: {@code x[off + j * ld + i] = exp(scale * (x[off + j * ld + i] - max_j))}
     * over j in [0, rows), and the column's sum in {@code sums[sumsOff + i]}, for every i below cols
     * (a multiple of the vector length). The caller divides whatever the probabilities make (fewer
     * values than the probabilities themselves). The columns sit in the vector lanes, so the
     * maximum and the sum are taken lane by lane, one row at a time in row order. The running
     * maxima and sums live in {@code sums} (cols floats) and in {@code maxes[maxesOff ..]} (cols
     * floats): one row at a time across all columns, their chains run side by side instead of one
     * column after another, each waiting on its own last step.
     */
    public static void expColumns(float[] x, int off, int rows, int cols, int ld, float scale, float[] sums,
                                  int sumsOff, float[] maxes, int maxesOff) {
        int l = F.length();
        System.arraycopy(x, off, maxes, maxesOff, cols);
        for (int j = 1; j < rows; j++) {
            for (int i = 0; i < cols; i += l) {
                VectorMath.max(FloatVector.fromArray(F, maxes, maxesOff + i), FloatVector.fromArray(F, x, off + j * ld + i))
                        .intoArray(maxes, maxesOff + i);
            }
        }
        // softmax(scale * x) = exp(scale * (x - max)) / sum, as scale > 0
        java.util.Arrays.fill(sums, sumsOff, sumsOff + cols, 0f);
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < cols; i += l) {
                int o = off + j * ld + i;
                FloatVector e = VectorMath.exp(FloatVector.fromArray(F, x, o)
                        .sub(FloatVector.fromArray(F, maxes, maxesOff + i)).mul(scale));
                e.intoArray(x, o);
                e.add(FloatVector.fromArray(F, sums, sumsOff + i)).intoArray(sums, sumsOff + i);
            }
        }
    }
}
