package org.lsg4j.model;

import org.lsg4j.kernels.Gemm;

/**
 * A PyTorch {@code nn.Linear}: {@code y = x W^T + b}.
 *
 * @param weight out x in, row-major ({@code <name>.weight})
 * @param bias   out ({@code <name>.bias}), or null for a layer without bias
 */
public record Linear(float[] weight, float[] bias, int in, int out) {

    /** Reads {@code <name>.weight} (out x in) and {@code <name>.bias} (out). */
    static Linear load(WeightReader w, String name, int in, int out) {
        return new Linear(w.take(name + ".weight", out, in), w.take(name + ".bias", out), in, out);
    }

    /** x: rows x in; returns rows x out. */
    public float[] forward(float[] x, int rows) {
        float[] y = new float[rows * out];
        Gemm.linear(x, rows, in, weight, bias, out, y);
        return y;
    }
}
