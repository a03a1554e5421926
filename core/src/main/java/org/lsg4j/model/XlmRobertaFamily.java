package org.lsg4j.model;

/** LSG-XLM-RoBERTa ({@code modeling_lsg_xlm_roberta.py}): RoBERTa's layout under model_type xlm-roberta. */
final class XlmRobertaFamily {
    static final Family FAMILY = RobertaFamily.of("xlm-roberta", "XLMRoberta", "modeling_lsg_xlm_roberta",
            BertFamily.defaults("pad_token_id", 1, "bos_token_id", 0, "eos_token_id", 2));

    private XlmRobertaFamily() {
    }
}
