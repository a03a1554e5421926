package org.lsg4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 vectorised activations and their gradients against double-precision references
 * ({@link Activations#erf(double)}, {@link Math#tanh}), the references' derivatives against
 * central differences, and the results' independence from position and worker count.
 */
class ActivationsTest {
    private static final int N = 2_000_001;
    private static final double C = Math.sqrt(2 / Math.PI);

    private static float grid(int i) {
        return (float) (-6 + 12.0 * i / (N - 1));
    }

    private static float[] gridValues() {
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = grid(i);
        }
        return x;
    }

    static double geluExact(double x) {
        return 0.5 * x * (1 + Activations.erf(x * Math.sqrt(0.5)));
    }

    static double geluExactGrad(double x) {
        return 0.5 * (1 + Activations.erf(x * Math.sqrt(0.5))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(C * (x + 0.044715 * x * x * x)));
    }

    static double geluTanhGrad(double x) {
        double t = Math.tanh(C * (x + 0.044715 * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * 0.044715 * x * x);
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
        float[] y = gridValues();
        Activations.gelu(y, 0, N);
        for (int i = 0; i < N; i++) {
            double x = grid(i);
            double ref = geluExact(x);
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

    @Test
    void tanhWithinFourUlps() {
        float[] y = gridValues();
        for (int i = 0; i < N; i++) {
            y[i] *= 2;   // [-12, 12]: past 9 tanh is 1 in float
        }
        float[] x = y.clone();
        Activations.tanh(y, 0, N);
        double worst = 0;
        for (int i = 0; i < N; i++) {
            double ref = Math.tanh(x[i]);
            worst = Math.max(worst, Math.abs(y[i] - ref) / Math.ulp((float) ref));
        }
        assertTrue(worst <= 4, "tanh error " + worst + " ulps");
        float[] special = {0f, -0f, 1e-30f, 20f, -20f, 100f};
        Activations.tanh(special, 0, special.length);
        assertArrayEquals(new float[]{0f, -0f, 1e-30f, 1f, -1f, 1f}, special);
    }

    @Test
    void gradientsMatchTheirReferences() {
        float[] x = gridValues();
        float[] dy = new float[N];
        for (int i = 0; i < N; i++) {
            dy[i] = (float) Math.cos(i * 0.37);
        }
        try (Workers workers = Workers.create(2)) {
            float[] dx = new float[N];
            // exact gelu': erf to 1.5e-7 in the cdf (halved), the pdf term to a few ulps
            Activations.geluBackward(workers, x, 0, dy, 0, dx, 0, N);
            for (int i = 0; i < N; i++) {
                double ref = geluExactGrad(x[i]) * dy[i];
                assertEquals(ref, dx[i], Math.abs(dy[i]) * (1e-7 + 4 * Math.ulp(1.2f)), "gelu' at " + x[i]);
            }
            // tanh gelu and its gradient: tanh to 4 ulps of 1, times |x| / 2, plus rounding
            float[] y = new float[N];
            Activations.geluTanh(workers, x, 0, y, 0, N);
            for (int i = 0; i < N; i++) {
                double ref = geluTanh(x[i]);
                assertEquals(ref, y[i], 0.5 * Math.abs(x[i]) * 4 * Math.ulp(1f) + 2 * Math.ulp((float) ref),
                        "gelu_new at " + x[i]);
            }
            Activations.geluTanhBackward(workers, x, 0, dy, 0, dx, 0, N);
            for (int i = 0; i < N; i++) {
                double ref = geluTanhGrad(x[i]) * dy[i];
                double scale = 1 + Math.abs(x[i]) * (1 + 3 * 0.044715 * x[i] * x[i]);
                assertEquals(ref, dx[i], Math.abs(dy[i]) * scale * 8 * Math.ulp(1f), "gelu_new' at " + x[i]);
            }
            Activations.relu(workers, x, 0, y, 0, N);
            Activations.reluBackward(workers, x, 0, dy, 0, dx, 0, N);
            for (int i = 0; i < N; i++) {
                assertEquals(Math.max(x[i], 0f), y[i]);
                assertEquals(x[i] > 0 ? dy[i] : 0f, dx[i]);
            }
            Activations.tanh(workers, x, 0, y, 0, N);
            Activations.tanhBackward(workers, y, 0, dy, 0, dx, 0, N);
            for (int i = 0; i < N; i++) {
                double ref = (1 - (double) y[i] * y[i]) * dy[i];
                assertEquals(ref, dx[i], 2 * Math.ulp((float) Math.abs(dy[i])), "tanh' at " + x[i]);
            }
        }
    }

    @Test
    void referenceGradientsMatchCentralDifferences() {
        check(ActivationsTest::geluExact, ActivationsTest::geluExactGrad);
        check(ActivationsTest::geluTanh, ActivationsTest::geluTanhGrad);
    }

    private static void check(DoubleUnaryOperator f, DoubleUnaryOperator grad) {
        double h = 1e-5;
        for (double x = -5; x <= 5; x += 0.0137) {
            double numeric = (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
            assertEquals(numeric, grad.applyAsDouble(x), 1e-8, "at " + x);
        }
    }

    @Test
    void resultsDoNotDependOnPositionOrWorkers() {
        int n = 3 * Activations.CHUNK + 77;
        float[] x = new float[n + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.11) * 4;
        }
        float[] dy = x.clone();
        float[][] results = new float[4][];
        int r = 0;
        for (int threads : new int[]{1, 3}) {
            for (int off : new int[]{0, 5}) {
                float[] y = new float[n];
                try (Workers workers = Workers.create(threads)) {
                    Activations.geluBackward(workers, x, off, dy, off, y, 0, n);
                }
                // shift back so that element i is the gradient at x[i + 5] in both layouts
                results[r++] = off == 5 ? y : java.util.Arrays.copyOfRange(y, 5, n);
            }
        }
        for (float[] res : results) {
            assertArrayEquals(java.util.Arrays.copyOf(results[1], n - 5), java.util.Arrays.copyOf(res, n - 5));
        }
    }
}
