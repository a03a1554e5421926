package org.lsg4j.model;

import org.lsg4j.kernels.Activations;
import org.lsg4j.kernels.VectorMath;

/**
 * One post-LayerNorm RoBERTa layer with LSG self-attention ({@code encoder.layer.N.*}):
 * <pre>
 *   a = LayerNorm(attention.output.dense(self_attention(x)) + x)
 *   y = LayerNorm(output.dense(gelu(intermediate.dense(a))) + a)
 * </pre>
 */
final class LsgLayer {
    private final LsgSelfAttention attention;
    private final Linear attentionOutputDense;
    private final LayerNorm attentionOutputLayerNorm;
    private final Linear intermediateDense;
    private final Linear outputDense;
    private final LayerNorm outputLayerNorm;

    LsgLayer(WeightReader w, String prefix, LsgConfig c) {
        int d = c.hiddenSize();
        this.attention = new LsgSelfAttention(w, prefix + "attention.self.", c);
        this.attentionOutputDense = Linear.load(w, prefix + "attention.output.dense", d, d);
        this.attentionOutputLayerNorm = LayerNorm.load(w, prefix + "attention.output.LayerNorm", d, c.layerNormEps());
        this.intermediateDense = Linear.load(w, prefix + "intermediate.dense", d, c.intermediateSize());
        this.outputDense = Linear.load(w, prefix + "output.dense", c.intermediateSize(), d);
        this.outputLayerNorm = LayerNorm.load(w, prefix + "output.LayerNorm", d, c.layerNormEps());
    }

    /** x: n x (g + tp) x d; returns the layer output of the same shape. */
    float[] forward(float[] x, int n, int tp, boolean[][] visible, int[][] windows, LshDraws draws) {
        int rows = x.length / attentionOutputDense.out();
        float[] context = attention.forward(x, n, tp, visible, windows, draws);
        float[] a = attentionOutputDense.forward(context, rows);
        VectorMath.axpy(1f, x, 0, a, 0, a.length);
        attentionOutputLayerNorm.apply(a, 0, rows);
        float[] inter = intermediateDense.forward(a, rows);
        Activations.gelu(inter, 0, inter.length);
        float[] y = outputDense.forward(inter, rows);
        VectorMath.axpy(1f, a, 0, y, 0, y.length);
        outputLayerNorm.apply(y, 0, rows);
        return y;
    }
}
