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
 * LSG-RoBERTa ({@code modeling_lsg_roberta.py}): BERT's layers, positions counted from
 * {@code pad_token_id + 1} over the non-pad ids, heads under {@code roberta.}: {@code lm_head}
 * (gelu, whatever hidden_act says), a dense + tanh classification head on row 0. XLM-RoBERTa and
 * CamemBERT are this family under other names.
 */
final class RobertaFamily {
    static final Map<Head, HeadSpec> ROBERTA_HEADS = Map.of(
            Head.MASKED_LM, HeadSpec.of(Input.TOKENS,
                    Dense.with("lm_head.dense", LsgConfig::hiddenSize, Activation.GELU),
                    new Norm("lm_head.layer_norm", null),
                    new TiedDecoder("lm_head.decoder", "lm_head.bias")),
            Head.SEQUENCE_CLASSIFICATION, HeadSpec.of(Input.FIRST_TOKEN,
                    Dense.with("classifier.dense", LsgConfig::hiddenSize, Activation.TANH),
                    Dense.linear("classifier.out_proj", LsgConfig::numLabels)),
            Head.TOKEN_CLASSIFICATION, HeadSpec.of(Input.TOKENS, Dense.linear("classifier", LsgConfig::numLabels)),
            Head.QUESTION_ANSWERING, HeadSpec.of(Input.TOKENS, Dense.linear("qa_outputs", c -> 2)),
            Head.MULTIPLE_CHOICE, HeadSpec.of(Input.POOLER, Dense.linear("classifier", c -> 1)));

    static final EmbeddingSpec ROBERTA_EMBEDDINGS =
            new EmbeddingSpec(PositionIds.PADDING_OFFSET, true, Projection.NONE, null, null);

    static final Family FAMILY = of("roberta", "Roberta", "modeling_lsg_roberta",
            BertFamily.defaults("vocab_size", 50265, "pad_token_id", 1, "bos_token_id", 0, "eos_token_id", 2));

    private RobertaFamily() {
    }

    /** A family laid out as RoBERTa, under another model_type and class stem. */
    static Family of(String modelType, String stem, String modelingFile, Map<String, Object> defaults) {
        return new Family(modelType, stem, "roberta", modelingFile, Map.of(), defaults, ROBERTA_EMBEDDINGS,
                BertFamily.BERT_LAYERS, "pooler.dense", ROBERTA_HEADS, List.of("ForCausalLM"),
                BertFamily.autoMap("AutoModelForCausalLM", "ForCausalLM"), Family.ROBERTA_TOKENS);
    }
}
