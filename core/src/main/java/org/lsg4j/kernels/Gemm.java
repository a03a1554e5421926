package org.lsg4j.kernels;

import java.util.stream.IntStream;

/** Matrix products of the linear layers. */
public final class Gemm {
    private static final int ROWS_PER_TASK = 16;

    private Gemm() {
    }

    /**
     * A linear layer: {@code y[r][o] = sum_i x[r][i] * weight[o][i] + bias[o]}.
     *
     * @param x      rows x in, row-major
     * @param weight out x in, row-major (the PyTorch nn.Linear layout)
     * @param bias   out, or null
     * @param y      rows x out, overwritten
     */
    public static void linear(float[] x, int rows, int in, float[] weight, float[] bias, int out, float[] y) {
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            int end = Math.min(rows, (task + 1) * ROWS_PER_TASK);
            for (int r = task * ROWS_PER_TASK; r < end; r++) {
                int xo = r * in;
                int yo = r * out;
                for (int o = 0; o < out; o++) {
                    float s = VectorMath.dot(x, xo, weight, o * in, in);
                    y[yo + o] = bias == null ? s : s + bias[o];
                }
            }
        });
    }
}
