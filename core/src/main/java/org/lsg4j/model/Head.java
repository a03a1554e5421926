package org.lsg4j.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The task heads lsg4j runs, named by the suffix of their class names in every family
 * ({@code LSGBertForMaskedLM}, {@code LSGRobertaForMaskedLM}, ...).
 */
public enum Head {
    /** Encoder with pooler (where the family has one): last_hidden_state, pooler_output. */
    BASE("Model"),
    /** Masked language model: logits over the vocabulary per token. */
    MASKED_LM("ForMaskedLM"),
    /** Sequence classification (single-label, multi-label or regression). */
    SEQUENCE_CLASSIFICATION("ForSequenceClassification"),
    /** Token classification: logits over labels per token. */
    TOKEN_CLASSIFICATION("ForTokenClassification"),
    /** Extractive question answering: start and end logits per token. */
    QUESTION_ANSWERING("ForQuestionAnswering"),
    /** Multiple choice: one score per choice. */
    MULTIPLE_CHOICE("ForMultipleChoice");

    private final String suffix;

    Head(String suffix) {
        this.suffix = suffix;
    }

    /** The end of the class names of this head: {@code ForMaskedLM}. */
    public String suffix() {
        return suffix;
    }

    /** The head whose class names end in {@code suffix}, or null. */
    static Head ofSuffix(String suffix) {
        for (Head h : values()) {
            if (h.suffix.equals(suffix)) {
                return h;
            }
        }
        return null;
    }

    /** A readable name: {@code masked-lm}, {@code sequence-classification}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static String supported() {
        return Arrays.stream(values()).map(Head::suffix).collect(Collectors.joining(", "));
    }
}
