package org.lsg4j.model;

import org.lsg4j.kernels.Norm;
import org.lsg4j.kernels.Workers;

/** A PyTorch {@code nn.LayerNorm} over the hidden dimension; a trainable model keeps its gradients. */
final class LayerNorm {
    private final float[] weight;
    private final float[] bias;
    private final float[] weightGrad;   // null when frozen or for an inference model
    private final float[] biasGrad;
    private final double eps;

    private LayerNorm(float[] weight, float[] bias, float[] weightGrad, float[] biasGrad, double eps) {
        this.weight = weight;
        this.bias = bias;
        this.weightGrad = weightGrad;
        this.biasGrad = biasGrad;
        this.eps = eps;
    }

    static LayerNorm load(WeightReader w, String name, int d, double eps) {
        float[] weight = w.take(name + ".weight", d);
        float[] bias = w.take(name + ".bias", d);
        Parameters.Param pw = w.param(name + ".weight");
        Parameters.Param pb = w.param(name + ".bias");
        return new LayerNorm(weight, bias, pw == null ? null : pw.grad(), pb == null ? null : pb.grad(), eps);
    }

    /** Normalises {@code rows} rows of length d starting at {@code x[offset]}, in place. */
    void apply(float[] x, int offset, int rows) {
        Norm.layerNorm(x, offset, rows, weight.length, weight, bias, eps);
    }

    /** {@code x = LayerNorm(x + residual)} on rows x d from x[0] and residual[0], on the workers. */
    void applyResidual(Workers workers, float[] x, float[] residual, int rows) {
        Norm.addLayerNorm(workers, x, 0, residual, 0, rows, weight.length, weight, bias, eps);
    }

    /**
     * The backward pass: from the LayerNorm's input h (rows x d at {@code h[hOff]}) and the
     * gradient of its output dy, writes the gradient of its input to {@code dh} (may be dy itself)
     * and accumulates the weight and bias gradients when they are trainable. The row statistics
     * are recomputed from h (one pass over it), so a tape keeps only the norm's input.
     */
    void backward(Workers workers, float[] h, int hOff, float[] dy, int dyOff, int rows, float[] dh, int dhOff) {
        int d = weight.length;
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        Norm.statistics(workers, h, hOff, rows, d, eps, mean, rstd);
        Norm.layerNormBackward(workers, dy, dyOff, h, hOff, mean, rstd, 0, rows, d, weight, dh, dhOff,
                weightGrad == null ? new float[d] : weightGrad, biasGrad == null ? new float[d] : biasGrad);
    }
}
