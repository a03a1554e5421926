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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LSG-ALBERT ({@code modeling_lsg_albert.py}): embeddings of embedding_size mapped to hidden_size
 * by {@code encoder.embedding_hidden_mapping_in} inside the encoder (after adaptive padding, so
 * padded rows enter the first layer as the mapping's bias); num_hidden_groups groups of
 * inner_group_num layers shared across the depth (application i uses group
 * {@code int(i / (num_hidden_layers / num_hidden_groups))}); pooler {@code pooler} (Linear + tanh).
 */
final class AlbertFamily {
    static final Family FAMILY = new Family("albert", "Albert", "albert", "modeling_lsg_albert", Map.of(),
            BertFamily.defaults("vocab_size", 30000, "embedding_size", 128, "hidden_size", 4096,
                    "num_attention_heads", 64, "intermediate_size", 16384, "hidden_act", "gelu_new",
                    "hidden_dropout_prob", 0.0, "attention_probs_dropout_prob", 0.0, "bos_token_id", 2,
                    "eos_token_id", 3),
            new EmbeddingSpec(PositionIds.ARANGE, true, Projection.IN_ENCODER, "encoder.embedding_hidden_mapping_in",
                    null),
            new LayerSpec(AlbertFamily::prefixes, "attention.query", "attention.key", "attention.value",
                    "attention.dense", "attention.LayerNorm", "ffn", "ffn_output", "full_layer_layer_norm",
                    AlbertFamily::schedule),
            "pooler",
            Map.of(Head.MASKED_LM, HeadSpec.of(Input.TOKENS,
                            new Dense("predictions.dense", LsgConfig::embeddingSize, LsgConfig::hiddenAct),
                            new Norm("predictions.LayerNorm", null),
                            new TiedDecoder("predictions.decoder", "predictions.bias")),
                    Head.SEQUENCE_CLASSIFICATION, HeadSpec.of(Input.POOLER, Dense.linear("classifier", LsgConfig::numLabels)),
                    Head.TOKEN_CLASSIFICATION, HeadSpec.of(Input.TOKENS, Dense.linear("classifier", LsgConfig::numLabels)),
                    Head.QUESTION_ANSWERING, HeadSpec.of(Input.TOKENS, Dense.linear("qa_outputs", c -> 2)),
                    Head.MULTIPLE_CHOICE, HeadSpec.of(Input.POOLER, Dense.linear("classifier", c -> 1))),
            List.of("ForPreTraining"),
            BertFamily.autoMap("AutoModelForPreTraining", "ForPreTraining"),
            Map.of("bos_token", "[CLS]", "cls_token", "[CLS]", "eos_token", "[SEP]", "sep_token", "[SEP]",
                    "pad_token", "<pad>", "mask_token", "[MASK]", "unk_token", "<unk>"));

    private AlbertFamily() {
    }

    /** Group g's layer j is distinct layer {@code g * inner_group_num + j}. */
    private static List<String> prefixes(LsgConfig c) {
        List<String> out = new ArrayList<>();
        for (int g = 0; g < c.numHiddenGroups(); g++) {
            for (int j = 0; j < c.innerGroupNum(); j++) {
                out.add("encoder.albert_layer_groups." + g + ".albert_layers." + j + ".");
            }
        }
        return out;
    }

    /** Each of the num_hidden_layers applications runs its group's inner layers in order. */
    private static int[][] schedule(LsgConfig c) {
        int[][] out = new int[c.numHiddenLayers()][];
        double perGroup = (double) c.numHiddenLayers() / c.numHiddenGroups();
        for (int i = 0; i < out.length; i++) {
            int group = (int) (i / perGroup);
            out[i] = new int[c.innerGroupNum()];
            for (int j = 0; j < c.innerGroupNum(); j++) {
                out[i][j] = group * c.innerGroupNum() + j;
            }
        }
        return out;
    }
}
