package org.lsg4j.model;

import org.lsg4j.kernels.Workers;

/**
 * One post-LayerNorm encoder layer with LSG self-attention, under the key names of its family's
 * {@link Family.LayerSpec} (BERT's {@code encoder.layer.N.attention.self.query}, DistilBERT's
 * {@code transformer.layer.N.attention.q_lin}, ALBERT's shared {@code albert_layers.N.attention.query}):
 * <pre>
 *   h1 = attention_output(self_attention(x)) + x      a = LayerNorm(h1)
 *   h2 = output(act(intermediate(a))) + a             y = LayerNorm(h2)
 * </pre>
 * The forward pass and its backward pass side by side; a {@link Tape} holds what the backward
 * pass reads.
 */
final class LsgLayer {
    private final LsgSelfAttention attention;
    private final Linear attentionOutput;
    private final LayerNorm attentionLayerNorm;
    private final Linear intermediate;
    private final Activation activation;
    private final Linear output;
    private final LayerNorm outputLayerNorm;

    /** What one application of the layer keeps for its backward pass (rows = n x T). */
    static final class Tape {
        float[] x;        // rows x d: the layer input
        final LsgSelfAttention.Tape attention = new LsgSelfAttention.Tape();
        float[] context;  // rows x d: the attention context, attention_output's input
        float[] h1;       // rows x d: before the first LayerNorm
        float[] a;        // rows x d: after it
        float[] pre;      // rows x intermediate: before the activation
        float[] h2;       // rows x d: before the second LayerNorm
        Dropout dropout;  // the training pass's dropout, or null (eval mode)
        int application;  // which application of the layer stack this is (its dropout sites)

        /** Bytes the full tape holds per row (per token of a sequence): x, q, k, v, context, h1, a, h2 and pre. */
        static long bytesPerRow(LsgConfig c) {
            return 4L * (8L * c.hiddenSize() + c.intermediateSize());
        }

        /** Keeps only what recomputing the layer needs (its input and its lsh draws); frees the rest. */
        void keepInputOnly() {
            context = null;
            h1 = null;
            a = null;
            pre = null;
            h2 = null;
            attention.q = null;
            attention.k = null;
            attention.v = null;
            attention.sparse = null;
            attention.maps = null;
        }
    }

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

    /** The layer's linear layers. */
    java.util.List<Linear> linears() {
        java.util.List<Linear> out = new java.util.ArrayList<>(attention.linears());
        out.addAll(java.util.List.of(attentionOutput, intermediate, output));
        return out;
    }

    /** Only the self-attention of {@link #forward}, with its tape: what a look at the sparse selection needs. */
    void selfAttention(Workspace ws, boolean[][] visible, LshDraws.Sequence draws, LsgSelfAttention.Tape tape) {
        attention.forward(ws, visible, draws, tape);
    }

    /**
     * Replaces ws.x (n x rows x d) by the layer output; the other buffers of ws are scratch.
     *
     * @param tape receives what the backward pass reads, or null (inference: nothing is kept)
     */
    void forward(Workspace ws, boolean[][] visible, LshDraws.Sequence draws, Tape tape) {
        int rows = ws.rows;
        int d = attentionOutput.out;
        int inter = intermediate.out;
        if (tape != null) {
            tape.x = ws.x.clone();
            tape.pre = new float[rows * inter];
        }
        if (tape != null) {
            tape.attention.dropout = tape.dropout;
            tape.attention.site = Dropout.attentionProbabilities(tape.application);
        }
        attention.forward(ws, visible, draws, tape == null ? null : tape.attention);
        if (tape != null) {
            tape.context = ws.q.clone();
        }
        attentionOutput.forward(ws.workers, ws.q, 0, rows, ws.a, 0);
        if (tape != null && tape.dropout != null) {
            tape.dropout.apply(Dropout.attentionOutput(tape.application), ws.a, 0, rows * d, 0);
        }
        normResidual(ws.workers, attentionLayerNorm, ws.a, ws.x, rows, tape == null ? null : h -> tape.h1 = h);
        if (tape != null) {
            tape.a = ws.a.clone();
        }
        // the intermediate (rows x inter) is made and consumed Workspace.FFN_ROWS rows at a time
        for (int r0 = 0; r0 < rows; r0 += Workspace.FFN_ROWS) {
            int m = Math.min(Workspace.FFN_ROWS, rows - r0);
            intermediate.forward(ws.workers, ws.a, r0 * d, m, ws.inter, 0);
            if (tape != null) {
                System.arraycopy(ws.inter, 0, tape.pre, r0 * inter, m * inter);
            }
            activation.apply(ws.workers, ws.inter, 0, m * inter);
            output.forward(ws.workers, ws.inter, 0, m, ws.x, r0 * d);
            if (tape != null && tape.dropout != null) {
                tape.dropout.apply(Dropout.feedForwardOutput(tape.application), ws.x, r0 * d, m * d, (long) r0 * d);
            }
        }
        normResidual(ws.workers, outputLayerNorm, ws.x, ws.a, rows, tape == null ? null : h -> tape.h2 = h);
    }

    /**
     * {@code x = LayerNorm(x + residual)}; with a sink, the sum before the LayerNorm is handed to
     * it first (the same floats the fused kernel normalises).
     */
    private static void normResidual(Workers workers, LayerNorm norm, float[] x, float[] residual, int rows,
                                     java.util.function.Consumer<float[]> sink) {
        if (sink == null) {
            norm.applyResidual(workers, x, residual, rows);
            return;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] += residual[i];
        }
        sink.accept(x.clone());
        norm.applyResidual(workers, x, null, rows);
    }

    /**
     * The backward pass of one application: from dy (n x rows x d, the gradient of the layer's
     * output; overwritten) returns the gradient of its input, accumulating the weights' gradients.
     */
    float[] backward(Workspace ws, boolean[][] visible, Tape tape, float[] dy) {
        Workers workers = ws.workers;
        int rows = ws.rows;
        int d = attentionOutput.out;
        int inter = intermediate.out;
        // y = LN(h2), h2 = output(act(pre)) + a
        outputLayerNorm.backward(workers, tape.h2, 0, dy, 0, rows, dy, 0);     // dy is now dh2
        float[] da = dy.clone();                                                 // through the residual
        if (tape.dropout != null) {
            tape.dropout.apply(Dropout.feedForwardOutput(tape.application), dy, 0, rows * d, 0);
        }
        float[] act = new float[Math.min(rows, Workspace.FFN_ROWS) * inter];
        float[] dAct = new float[act.length];
        for (int r0 = 0; r0 < rows; r0 += Workspace.FFN_ROWS) {
            int m = Math.min(Workspace.FFN_ROWS, rows - r0);
            System.arraycopy(tape.pre, r0 * inter, act, 0, m * inter);
            activation.apply(workers, act, 0, m * inter);
            output.backward(workers, act, 0, dy, r0 * d, m, dAct, 0, false);
            activation.backward(workers, tape.pre, r0 * inter, act, dAct, m * inter);
            intermediate.backward(workers, tape.a, r0 * d, dAct, 0, m, da, r0 * d, true);
        }
        // a = LN(h1), h1 = attention_output(context) + x
        attentionLayerNorm.backward(workers, tape.h1, 0, da, 0, rows, da, 0);   // da is now dh1
        float[] dDense = da;
        if (tape.dropout != null) {
            dDense = da.clone();
            tape.dropout.apply(Dropout.attentionOutput(tape.application), dDense, 0, rows * d, 0);
        }
        float[] dContext = new float[rows * d];
        attentionOutput.backward(workers, tape.context, 0, dDense, 0, rows, dContext, 0, false);
        float[] dx = new float[rows * d];
        attention.backward(ws, visible, tape.attention, tape.x, dContext, dx);
        for (int i = 0; i < dx.length; i++) {
            dx[i] += da[i];
        }
        return dx;
    }
}
