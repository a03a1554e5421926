package org.lsg4j.model;

import org.lsg4j.model.Family.Dense;
import org.lsg4j.model.Family.EmbeddingSpec;
import org.lsg4j.model.Family.HeadSpec;
import org.lsg4j.model.Family.Input;
import org.lsg4j.model.Family.Norm;
import org.lsg4j.model.Family.PositionIds;
import org.lsg4j.model.Family.Projection;
import org.lsg4j.model.Family.TiedDecoder;

import java.util.List;
import java.util.Map;

/**
 * LSG-ELECTRA ({@code modeling_lsg_electra.py}): embeddings of embedding_size (global tokens
 * included), projected to hidden_size by {@code embeddings_project} after their LayerNorm when the
 * two differ; BERT's layers; no pooler. The generator's masked LM, a dense + gelu classification
 * head on row 0, and a sequence summary for multiple choice.
 */
final class ElectraFamily {
    static final Family FAMILY = new Family("electra", "Electra", "electra", "modeling_lsg_electra", Map.of(),
            BertFamily.defaults("embedding_size", 128, "hidden_size", 256, "num_attention_heads", 4,
                    "intermediate_size", 1024),
            new EmbeddingSpec(PositionIds.ARANGE, true, Projection.AFTER_EMBEDDINGS, "embeddings_project", null),
            BertFamily.BERT_LAYERS, null,
            Map.of(Head.MASKED_LM, HeadSpec.of(Input.TOKENS,
                            Dense.with("generator_predictions.dense", LsgConfig::embeddingSize, Activation.GELU),
                            new Norm("generator_predictions.LayerNorm", null),
                            new TiedDecoder("generator_lm_head", "generator_lm_head.bias")),
                    Head.SEQUENCE_CLASSIFICATION, HeadSpec.of(Input.FIRST_TOKEN,
                            Dense.with("classifier.dense", LsgConfig::hiddenSize, Activation.GELU),
                            Dense.linear("classifier.out_proj", LsgConfig::numLabels)),
                    Head.TOKEN_CLASSIFICATION, HeadSpec.of(Input.TOKENS, Dense.linear("classifier", LsgConfig::numLabels)),
                    Head.QUESTION_ANSWERING, HeadSpec.of(Input.TOKENS, Dense.linear("qa_outputs", c -> 2)),
                    Head.MULTIPLE_CHOICE, HeadSpec.of(Input.FIRST_TOKEN,
                            new Dense("sequence_summary.summary", LsgConfig::hiddenSize, LsgConfig::summaryActivation),
                            Dense.linear("classifier", c -> 1))),
            List.of("ForPreTraining", "ForCausalLM"),
            BertFamily.autoMap("AutoModelForCausalLM", "ForCausalLM", "AutoModelForPreTraining",
                    "ForPreTraining"), Family.BERT_TOKENS);

    private ElectraFamily() {
    }
}
