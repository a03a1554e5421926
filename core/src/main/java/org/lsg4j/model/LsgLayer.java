package org.lsg4j.model;

import org.lsg4j.kernels.Activations;

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

    /** Replaces ws.x (n x (g + tp) x d) by the layer output; the other buffers of ws are scratch. */
    void forward(Workspace ws, int n, int tp, boolean[][] visible, int[][] windows, LshDraws draws) {
        int rows = ws.rows;
        int d = attentionOutputDense.out();
        int inter = intermediateDense.out();
        attention.forward(ws, n, tp, visible, windows, draws);
        attentionOutputDense.forward(ws.workers, ws.q, 0, rows, ws.a, 0);
        attentionOutputLayerNorm.applyResidual(ws.workers, ws.a, ws.x, rows);
        // the intermediate (rows x inter) is made and consumed Workspace.FFN_ROWS rows at a time
        for (int r0 = 0; r0 < rows; r0 += Workspace.FFN_ROWS) {
            int m = Math.min(Workspace.FFN_ROWS, rows - r0);
            intermediateDense.forward(ws.workers, ws.a, r0 * d, m, ws.inter, 0);
            Activations.gelu(ws.workers, ws.inter, 0, m * inter);
            outputDense.forward(ws.workers, ws.inter, 0, m, ws.x, r0 * d);
        }
        outputLayerNorm.applyResidual(ws.workers, ws.x, ws.a, rows);
    }
}
