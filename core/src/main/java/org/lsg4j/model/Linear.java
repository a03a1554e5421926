package org.lsg4j.model;

import org.lsg4j.kernels.Gemm;
import org.lsg4j.kernels.PackedWeights;
import org.lsg4j.kernels.Workers;

/**
 * A PyTorch {@code nn.Linear}: {@code y = x W^T + b}, its weight held only in the packed form
 * the matrix kernel reads.
 */
public record Linear(PackedWeights weights, int in, int out) {

    /** Reads {@code <name>.weight} (out x in) and {@code <name>.bias} (out), and packs them. */
    static Linear load(WeightReader w, String name, int in, int out) {
        return new Linear(PackedWeights.pack(w.take(name + ".weight", out, in), w.take(name + ".bias", out), in, out),
                in, out);
    }

    /** x: rows x in; returns rows x out, computed on the workers. */
    public float[] forward(Workers workers, float[] x, int rows) {
        float[] y = new float[rows * out];
        forward(workers, x, 0, rows, y, 0);
        return y;
    }

    /** y[yOff ..] (rows x out) = x[xOff ..] (rows x in) W^T + b. */
    public void forward(Workers workers, float[] x, int xOff, int rows, float[] y, int yOff) {
        Gemm.linear(workers, weights, x, xOff, rows, y, yOff);
    }
}
