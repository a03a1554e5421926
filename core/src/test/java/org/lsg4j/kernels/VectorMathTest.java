package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vector exp and the ordered lane sum. */
class VectorMathTest {
    @Test
    void expIsWithinAFewUlpsOverItsRange() {
        double worst = 0;
        float[] lanes = new float[VectorMath.F.length()];
        for (float x = -87f; x <= 88f; x += 0.00731f) {
            java.util.Arrays.fill(lanes, x);
            float e = VectorMath.exp(FloatVector.fromArray(VectorMath.F, lanes, 0)).lane(0);
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(e - exact) / Math.ulp((float) exact));
        }
        assertTrue(worst <= 3, "worst error " + worst + " ulps");
        java.util.Arrays.fill(lanes, -200f);
        assertEquals((float) Math.exp(-87), VectorMath.exp(FloatVector.fromArray(VectorMath.F, lanes, 0)).lane(0),
                Math.ulp((float) Math.exp(-87)) * 3, "clamped at -87");
        java.util.Arrays.fill(lanes, 0f);
        assertEquals(1f, VectorMath.exp(FloatVector.fromArray(VectorMath.F, lanes, 0)).lane(0));
    }

    @Test
    void sumAddsTheLanesInOrder() {
        float[] lanes = new float[VectorMath.F.length()];
        float expected = 0;
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = 1f / (3 + i) + (i % 2 == 0 ? 1e7f : -1e7f);
            expected = i == 0 ? lanes[0] : expected + lanes[i];
        }
        assertEquals(expected, VectorMath.sum(FloatVector.fromArray(VectorMath.F, lanes, 0)));
    }
}
