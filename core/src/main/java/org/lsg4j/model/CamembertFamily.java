package org.lsg4j.model;

/** LSG-CamemBERT ({@code modeling_lsg_camembert.py}): RoBERTa's layout under model_type camembert. */
final class CamembertFamily {
    static final Family FAMILY = RobertaFamily.of("camembert", "Camembert", "modeling_lsg_camembert",
            BertFamily.defaults("pad_token_id", 1, "bos_token_id", 0, "eos_token_id", 2));

    private CamembertFamily() {
    }
}
