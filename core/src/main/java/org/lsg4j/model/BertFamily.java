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

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LSG-BERT ({@code modeling_lsg_bert.py}): BERT's embeddings with token types and positions
 * {@code 0 .. t-1}, {@code encoder.layer.N}, {@code pooler.dense}; heads under {@code bert.}, the
 * masked LM as {@code cls.predictions}, sequence classification and multiple choice on the pooler.
 */
final class BertFamily {
    /** BERT's encoder layer names, shared by the families built on BertLayer. */
    static final LayerSpec BERT_LAYERS = LayerSpec.stack("encoder.layer", "attention.self.query", "attention.self.key",
            "attention.self.value", "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense",
            "output.dense", "output.LayerNorm");

    /** BertConfig's defaults under BERT's key names (the families start from them). */
    static final Map<String, Object> BERT_DEFAULTS = Map.ofEntries(Map.entry("vocab_size", 30522),
            Map.entry("hidden_size", 768), Map.entry("num_hidden_layers", 12), Map.entry("num_attention_heads", 12),
            Map.entry("intermediate_size", 3072), Map.entry("hidden_act", "gelu"),
            Map.entry("hidden_dropout_prob", 0.1), Map.entry("attention_probs_dropout_prob", 0.1),
            Map.entry("max_position_embeddings", 512), Map.entry("type_vocab_size", 2),
            Map.entry("layer_norm_eps", 1e-12), Map.entry("pad_token_id", 0),
            Map.entry("position_embedding_type", "absolute"), Map.entry("num_hidden_groups", 1),
            Map.entry("inner_group_num", 1), Map.entry("summary_activation", "gelu"),
            Map.entry("initializer_range", 0.02));

    static final Family FAMILY = new Family("bert", "Bert", "bert", "modeling_lsg_bert", Map.of(), BERT_DEFAULTS,
            new EmbeddingSpec(PositionIds.ARANGE, true, Projection.NONE, null, null),
            BERT_LAYERS, "pooler.dense",
            Map.of(Head.MASKED_LM, HeadSpec.of(Input.TOKENS,
                            new Dense("cls.predictions.transform.dense", LsgConfig::hiddenSize, LsgConfig::hiddenAct),
                            new Norm("cls.predictions.transform.LayerNorm", null),
                            new TiedDecoder("cls.predictions.decoder", "cls.predictions.bias")),
                    Head.SEQUENCE_CLASSIFICATION, HeadSpec.of(Input.POOLER, Dense.linear("classifier", LsgConfig::numLabels)),
                    Head.TOKEN_CLASSIFICATION, HeadSpec.of(Input.TOKENS, Dense.linear("classifier", LsgConfig::numLabels)),
                    Head.QUESTION_ANSWERING, HeadSpec.of(Input.TOKENS, Dense.linear("qa_outputs", c -> 2)),
                    Head.MULTIPLE_CHOICE, HeadSpec.of(Input.POOLER, Dense.linear("classifier", c -> 1))),
            List.of("ForPreTraining", "LMHeadModel", "ForNextSentencePrediction"),
            autoMap("AutoModelForCausalLM", "LMHeadModel", "AutoModelForPreTraining", "ForPreTraining"), Family.BERT_TOKENS);

    private BertFamily() {
    }

    /**
     * The auto_map the reference writes: AutoConfig, AutoModel and the five task heads, plus the
     * family's extra entries (auto class, class suffix pairs).
     */
    static Map<String, String> autoMap(String... extra) {
        Map<String, String> m = new HashMap<>(Map.of("AutoConfig", "Config", "AutoModel", "Model",
                "AutoModelForMaskedLM", "ForMaskedLM", "AutoModelForMultipleChoice", "ForMultipleChoice",
                "AutoModelForQuestionAnswering", "ForQuestionAnswering",
                "AutoModelForSequenceClassification", "ForSequenceClassification",
                "AutoModelForTokenClassification", "ForTokenClassification"));
        for (int i = 0; i < extra.length; i += 2) {
            m.put(extra[i], extra[i + 1]);
        }
        return m;
    }

    /** BERT's defaults with some replaced. */
    static Map<String, Object> defaults(Object... keyValues) {
        Map<String, Object> m = new HashMap<>(BERT_DEFAULTS);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
