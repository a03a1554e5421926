package org.lsg4j.model;

/**
 * One post-LayerNorm encoder layer with LSG self-attention, under the key names of its family's
 * {@link Family.LayerSpec} (BERT's {@code encoder.layer.N.attention.self.query}, DistilBERT's
 * {@code transformer.layer.N.attention.q_lin}, ALBERT's shared {@code albert_layers.N.attention.query}):
 * <pre>
 *   a = LayerNorm(attention_output(self_attention(x)) + x)
 *   y = LayerNorm(output(act(intermediate(a))) + a)
 * </pre>
 */
final class LsgLayer {
    private final LsgSelfAttention attention;
    private final Linear attentionOutput;
    private final LayerNorm attentionLayerNorm;
    private final Linear intermediate;
    private final Activation activation;
    private final Linear output;
    private final LayerNorm outputLayerNorm;

    LsgLayer(WeightReader w, String prefix, LsgConfig c) {
        int d = c.hiddenSize();
        Family.LayerSpec names = c.family().layers();
        this.attention = new LsgSelfAttention(w, prefix, names, c);
        this.attentionOutput = Linear.load(w, prefix + names.attentionOutput(), d, d);
        this.attentionLayerNorm = LayerNorm.load(w, prefix + names.attentionLayerNorm(), d, c.layerNormEps());
        this.intermediate = Linear.load(w, prefix + names.intermediate(), d, c.intermediateSize());
        this.activation = c.hiddenAct();
        this.output = Linear.load(w, prefix + names.output(), c.intermediateSize(), d);
        this.outputLayerNorm = LayerNorm.load(w, prefix + names.outputLayerNorm(), d, c.layerNormEps());
    }

    /** Replaces ws.x (n x rows x d) by the layer output; the other buffers of ws are scratch. */
    void forward(Workspace ws, boolean[][] visible, LshDraws draws) {
        int rows = ws.rows;
        int d = attentionOutput.out();
        int inter = intermediate.out();
        attention.forward(ws, visible, draws);
        attentionOutput.forward(ws.workers, ws.q, 0, rows, ws.a, 0);
        attentionLayerNorm.applyResidual(ws.workers, ws.a, ws.x, rows);
        // the intermediate (rows x inter) is made and consumed Workspace.FFN_ROWS rows at a time
        for (int r0 = 0; r0 < rows; r0 += Workspace.FFN_ROWS) {
            int m = Math.min(Workspace.FFN_ROWS, rows - r0);
            intermediate.forward(ws.workers, ws.a, r0 * d, m, ws.inter, 0);
            activation.apply(ws.workers, ws.inter, 0, m * inter);
            output.forward(ws.workers, ws.inter, 0, m, ws.x, r0 * d);
        }
        outputLayerNorm.applyResidual(ws.workers, ws.x, ws.a, rows);
    }
}
