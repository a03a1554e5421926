package org.lsg4j.onnx;

/**
 * The {@code BertConfig} fields an ONNX export of {@code BertModel} determines, named as in
 * config.json. Each is read from the graph: sizes from the weights' shapes, the head count from the
 * Reshape that splits the query projection into heads, {@code layer_norm_eps} from the constant the
 * layer norms add to the variance, {@code hidden_act} from the activation's nodes.
 */
public record BertArchitecture(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                               int intermediateSize, String hiddenAct, int maxPositionEmbeddings,
                               int typeVocabSize, double layerNormEps) {
}
