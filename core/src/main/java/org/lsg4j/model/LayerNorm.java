package org.lsg4j.model;

import org.lsg4j.kernels.Norm;
import org.lsg4j.kernels.Workers;

/** A PyTorch {@code nn.LayerNorm} over the hidden dimension. */
public record LayerNorm(float[] weight, float[] bias, double eps) {

    static LayerNorm load(WeightReader w, String name, int d, double eps) {
        return new LayerNorm(w.take(name + ".weight", d), w.take(name + ".bias", d), eps);
    }

    /** Normalises {@code rows} rows of length d starting at {@code x[offset]}, in place. */
    public void apply(float[] x, int offset, int rows) {
        Norm.layerNorm(x, offset, rows, weight.length, weight, bias, eps);
    }

    /** {@code x = LayerNorm(x + residual)} on rows x d from x[0] and residual[0], on the workers. */
    void applyResidual(Workers workers, float[] x, float[] residual, int rows) {
        Norm.addLayerNorm(workers, x, 0, residual, 0, rows, weight.length, weight, bias, eps);
    }
}
