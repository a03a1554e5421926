package org.lsg4j.model;

import org.lsg4j.model.Family.Dense;
import org.lsg4j.model.Family.EmbeddingSpec;
import org.lsg4j.model.Family.HeadSpec;
import org.lsg4j.model.Family.Input;
import org.lsg4j.model.Family.LayerSpec;
import org.lsg4j.model.Family.Norm;
import org.lsg4j.model.Family.PositionIds;
import org.lsg4j.model.Family.Projection;
import org.lsg4j.model.Family.TiedDecoder;

import java.util.List;
import java.util.Map;

/**
 * LSG-DistilBERT ({@code modeling_lsg_distilbert.py}): its own key spelling ({@code dim},
 * {@code n_layers}, {@code activation}, ...), no token types, every LayerNorm at eps 1e-12,
 * {@code transformer.layer.N}, no pooler; classification reads row 0 through
 * {@code pre_classifier} and ReLU.
 */
final class DistilBertFamily {
    static final Family FAMILY = new Family("distilbert", "DistilBert", "distilbert", "modeling_lsg_distilbert",
            Map.of("hidden_size", "dim", "num_hidden_layers", "n_layers", "num_attention_heads", "n_heads",
                    "intermediate_size", "hidden_dim", "hidden_act", "activation", "hidden_dropout_prob", "dropout",
                    "attention_probs_dropout_prob", "attention_dropout", "type_vocab_size", "",
                    "layer_norm_eps", "", "position_embedding_type", ""),
            BertFamily.defaults("num_hidden_layers", 6),
            new EmbeddingSpec(PositionIds.ARANGE, false, Projection.NONE, null, 1e-12),
            LayerSpec.stack("transformer.layer", "attention.q_lin", "attention.k_lin", "attention.v_lin",
                    "attention.out_lin", "sa_layer_norm", "ffn.lin1", "ffn.lin2", "output_layer_norm"),
            null,
            Map.of(Head.MASKED_LM, HeadSpec.of(Input.TOKENS,
                            new Dense("vocab_transform", LsgConfig::hiddenSize, LsgConfig::hiddenAct),
                            new Norm("vocab_layer_norm", 1e-12),
                            new TiedDecoder("vocab_projector", "vocab_projector.bias")),
                    Head.SEQUENCE_CLASSIFICATION, HeadSpec.of(Input.FIRST_TOKEN,
                            Dense.with("pre_classifier", LsgConfig::hiddenSize, Activation.RELU),
                            Dense.linear("classifier", LsgConfig::numLabels)),
                    Head.TOKEN_CLASSIFICATION, HeadSpec.of(Input.TOKENS, Dense.linear("classifier", LsgConfig::numLabels)),
                    Head.QUESTION_ANSWERING, HeadSpec.of(Input.TOKENS, Dense.linear("qa_outputs", c -> 2)),
                    Head.MULTIPLE_CHOICE, HeadSpec.of(Input.FIRST_TOKEN,
                            Dense.with("pre_classifier", LsgConfig::hiddenSize, Activation.RELU),
                            Dense.linear("classifier", c -> 1))),
            List.of(), BertFamily.autoMap(), Family.BERT_TOKENS);

    private DistilBertFamily() {
    }
}
