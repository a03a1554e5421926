package org.lsg4j.model;

import org.lsg4j.kernels.Gemm;
import org.lsg4j.kernels.PackedWeights;
import org.lsg4j.kernels.Workers;

/**
 * A PyTorch {@code nn.Linear}: {@code y = x W^T + b}. For inference its weight is held only in the
 * packed form the matrix kernel reads; a trainable model also keeps the raw weight (the
 * {@link Parameters} value an optimizer updates, repacked by {@link #refresh}) and its gradients.
 */
final class Linear {
    final String name;
    final int in;
    final int out;
    private final PackedWeights packed;
    private final Parameters.Param weight;   // out x in; null for an inference model
    private final Parameters.Param bias;     // out; null without bias or for an inference model
    private final Transposed transposed;     // W^T for dX, shared by the copies withBias makes

    /**
     * W^T packed for the input gradient: made by the first backward that needs it, then refilled in
     * place by {@link #refresh} (a new copy per step was that much garbage: 170 MB a step for
     * distilroberta-base's linear layers).
     */
    private static final class Transposed {
        PackedWeights panels;
    }

    private Linear(String name, PackedWeights packed, Parameters.Param weight, Parameters.Param bias, int in, int out) {
        this(name, packed, weight, bias, in, out, new Transposed());
    }

    private Linear(String name, PackedWeights packed, Parameters.Param weight, Parameters.Param bias, int in, int out,
                   Transposed transposed) {
        this.name = name;
        this.transposed = transposed;
        this.packed = packed;
        this.weight = weight;
        this.bias = bias;
        this.in = in;
        this.out = out;
    }

    /** Reads {@code <name>.weight} (out x in) and {@code <name>.bias} (out), and packs them. */
    static Linear load(WeightReader w, String name, int in, int out) {
        float[] weight = w.take(name + ".weight", out, in);
        float[] bias = w.take(name + ".bias", out);
        return new Linear(name, PackedWeights.pack(weight, bias, in, out), w.param(name + ".weight"),
                w.param(name + ".bias"), in, out);
    }

    /** An embedding table ({@code <name>.weight}, rows x width) as a linear layer width -> rows without bias. */
    static Linear table(WeightReader w, String name, int rows, int width) {
        float[] weight = w.take(name + ".weight", rows, width);
        return new Linear(name, PackedWeights.pack(weight, null, width, rows), w.param(name + ".weight"), null,
                width, rows);
    }

    /**
     * The same weight (shared, not copied: its gradient accumulates in the same parameter) with the
     * bias {@code biasName} (out values) read from w: a tied decoder.
     */
    Linear withBias(WeightReader w, String biasName) {
        float[] b = w.take(biasName, out);
        return new Linear(name, packed.withBias(b), weight, w.param(biasName), in, out, transposed);
    }

    /** x: rows x in; returns rows x out, computed on the workers. */
    float[] forward(Workers workers, float[] x, int rows) {
        float[] y = new float[rows * out];
        forward(workers, x, 0, rows, y, 0);
        return y;
    }

    /** y[yOff ..] (rows x out) = x[xOff ..] (rows x in) W^T + b. */
    void forward(Workers workers, float[] x, int xOff, int rows, float[] y, int yOff) {
        Gemm.linear(workers, packed, x, xOff, rows, y, yOff);
    }

    /** Row o of W (in values) to {@code dst[off ..]}: an embedding lookup. */
    void copyRow(int o, float[] dst, int off) {
        packed.copyRow(o, dst, off);
    }

    /** The raw weight (out x in) of a trainable model. */
    float[] weight() {
        return weight.value();
    }

    /** The weight's gradient, or null when it is frozen. */
    float[] weightGrad() {
        return weight == null ? null : weight.grad();
    }

    /**
     * The backward pass of {@link #forward}: accumulates {@code dW += dy^T x} and {@code db += sum_rows dy}
     * when they are trainable, and computes {@code dx = dy W} (overwriting, or adding to dx when
     * {@code accumulate}) unless dx is null.
     *
     * @param x  the forward input, rows x in at {@code x[xOff]}
     * @param dy rows x out at {@code dy[dyOff]}
     * @param dx rows x in at {@code dx[dxOff]}, or null
     */
    void backward(Workers workers, float[] x, int xOff, float[] dy, int dyOff, int rows, float[] dx, int dxOff,
                  boolean accumulate) {
        if (weight.grad() != null) {
            Gemm.weightGradient(workers, dy, dyOff, x, xOff, rows, out, in, weight.grad(), 0);
        }
        if (bias != null && bias.grad() != null) {
            Gemm.biasGradient(workers, dy, dyOff, rows, out, bias.grad(), 0);
        }
        if (dx != null) {
            if (transposed.panels == null) {
                transposed.panels = PackedWeights.transposed(weight.value(), in, out);
            }
            if (accumulate) {
                Gemm.linearAdd(workers, transposed.panels, dy, dyOff, rows, dx, dxOff);
            } else {
                Gemm.linear(workers, transposed.panels, dy, dyOff, rows, dx, dxOff);
            }
        }
    }

    /**
     * Repacks the kernel's copy from the raw weight and bias after an optimizer step; a frozen layer
     * (no gradient for its weight or bias) did not change and keeps its panels, W^T's included.
     */
    void refresh() {
        if (weight.grad() == null && (bias == null || bias.grad() == null)) {
            return;
        }
        packed.repack(weight.value(), bias == null ? null : bias.value());
        if (transposed.panels != null && weight.grad() != null) {   // W^T depends on the weight only
            transposed.panels.repackTransposed(weight.value());
        }
    }
}
