package org.lsg4j.model;

import org.lsg4j.kernels.Activations;
import org.lsg4j.kernels.PackedWeights;
import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;

import java.util.Map;

/**
 * {@code lm_head.*}: dense, gelu, LayerNorm, then the decoder tied to the word embeddings with
 * bias {@code lm_head.bias}. Loss: cross-entropy over positions whose label is not -100.
 */
final class MaskedLmHead implements TaskHead {
    private final Linear dense;
    private final LayerNorm layerNorm;
    private final Linear decoder;          // vocab x d: the word embeddings' panels, shared, with lm_head.bias
    private final int vocab;

    MaskedLmHead(WeightReader w, LsgConfig c, PackedWeights wordEmbeddings) {
        int d = c.hiddenSize();
        this.dense = Linear.load(w, "lm_head.dense", d, d);
        this.layerNorm = LayerNorm.load(w, "lm_head.layer_norm", d, c.layerNormEps());
        this.vocab = c.vocabSize();
        float[] bias = w.has("lm_head.bias") || !w.has("lm_head.decoder.bias")
                ? w.take("lm_head.bias", vocab) : w.take("lm_head.decoder.bias", vocab);
        this.decoder = new Linear(wordEmbeddings.withBias(bias), d, vocab);
    }

    @Override
    public void forward(LsgRobertaModel.Encoded e, ModelInputs in, Workers workers, Map<String, FloatTensor> out) {
        int rows = e.n() * e.t();
        float[] x = dense.forward(workers, e.lastHiddenState(), rows);
        Activations.gelu(workers, x, 0, x.length);
        layerNorm.apply(x, 0, rows);
        float[] logits = decoder.forward(workers, x, rows);
        out.put("logits", new FloatTensor(new int[]{e.n(), e.t(), vocab}, logits));
        if (in.labels() != null) {
            long[] targets = Losses.classTargets(in.labels(), rows, "labels");
            out.put("loss", scalar(Losses.crossEntropy(logits, rows, vocab, targets, Losses.IGNORE_INDEX, "labels")));
        }
    }

    static FloatTensor scalar(float v) {
        return new FloatTensor(new int[0], new float[]{v});
    }
}
