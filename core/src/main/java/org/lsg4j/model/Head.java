package org.lsg4j.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The task heads of LSG-RoBERTa, named as in config.json {@code architectures}. */
public enum Head {
    /** Encoder with pooler: last_hidden_state, pooler_output. */
    BASE("LSGRobertaModel", "RobertaModel"),
    /** Masked language model: logits over the vocabulary per token. */
    MASKED_LM("LSGRobertaForMaskedLM", "RobertaForMaskedLM"),
    /** Sequence classification (single-label, multi-label or regression). */
    SEQUENCE_CLASSIFICATION("LSGRobertaForSequenceClassification", "RobertaForSequenceClassification"),
    /** Token classification: logits over labels per token. */
    TOKEN_CLASSIFICATION("LSGRobertaForTokenClassification", "RobertaForTokenClassification"),
    /** Extractive question answering: start and end logits per token. */
    QUESTION_ANSWERING("LSGRobertaForQuestionAnswering", "RobertaForQuestionAnswering"),
    /** Multiple choice: one score per choice. */
    MULTIPLE_CHOICE("LSGRobertaForMultipleChoice", "RobertaForMultipleChoice");

    private final String lsgClass;
    private final String robertaClass;

    Head(String lsgClass, String robertaClass) {
        this.lsgClass = lsgClass;
        this.robertaClass = robertaClass;
    }

    /** The reference's class name for this head. */
    public String className() {
        return lsgClass;
    }

    /** The head of an architecture name (LSG or plain RoBERTa class), or null. */
    public static Head fromArchitecture(String name) {
        for (Head h : values()) {
            if (h.lsgClass.equals(name) || h.robertaClass.equals(name)) {
                return h;
            }
        }
        return null;
    }

    static String supported() {
        return Arrays.stream(values()).map(Head::className).collect(Collectors.joining(", "));
    }
}
