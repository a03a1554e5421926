package org.lsg4j.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float32 vectorised erf and gelu against the double-precision reference {@link Activations#erf(double)}. */
class ActivationsTest {
    private static final int N = 2_000_001;

    private static float grid(int i) {
        return (float) (-6 + 12.0 * i / (N - 1));
    }

    @Test
    void erfWithinOnePointFiveE7OnADenseGrid() {
        double worst = 0;
        for (int i = 0; i < N; i++) {
            float x = grid(i);
            worst = Math.max(worst, Math.abs(Activations.erf(x) - Activations.erf((double) x)));
        }
        assertTrue(worst < 1.5e-7, "erf error " + worst);
    }

    @Test
    void geluWithinItsErfErrorPlusRounding() {
        float[] y = new float[N];
        for (int i = 0; i < N; i++) {
            y[i] = grid(i);
        }
        Activations.gelu(y, 0, N);
        for (int i = 0; i < N; i++) {
            double x = grid(i);
            double ref = 0.5 * x * (1 + Activations.erf(x * Math.sqrt(0.5)));
            assertEquals(ref, y[i], 0.5 * Math.abs(x) * 1.5e-7 + 2 * Math.ulp((float) ref), "gelu at " + x);
        }
    }

    @Test
    void erfIsOddAndSaturates() {
        assertEquals(0f, Activations.erf(0f));
        assertEquals(1f, Activations.erf(5f));
        assertEquals(-1f, Activations.erf(-30f));
        assertEquals(-Activations.erf(0.7f), Activations.erf(-0.7f));
    }
}
