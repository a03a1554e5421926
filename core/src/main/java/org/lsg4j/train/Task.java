package org.lsg4j.train;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What {@code lsg train} fine-tunes a model for: the head it trains, the problem_type written in
 * config.json, and the JSON lines it reads (see {@link Example}).
 */
public enum Task {
    /** One label per text (or pair): {@code {"text", "pair"?, "label": name or id}}; cross-entropy. */
    SEQUENCE_CLASSIFICATION("seq-classification", Head.SEQUENCE_CLASSIFICATION, "single_label_classification"),
    /** Any number of labels per text: {@code {"text", "pair"?, "label": [names]}}; binary cross-entropy per label. */
    MULTI_LABEL("multi-label", Head.SEQUENCE_CLASSIFICATION, "multi_label_classification"),
    /** One number per text: {@code {"text", "pair"?, "label": number}}; mean squared error. */
    REGRESSION("regression", Head.SEQUENCE_CLASSIFICATION, "regression"),
    /** A label per word: {@code {"tokens": [words], "tags": [labels]}}. */
    TOKEN_CLASSIFICATION("token-classification", Head.TOKEN_CLASSIFICATION, null),
    /** Extractive question answering, SQuAD's form: {@code {"question", "context", "answers": {"text", "answer_start"}}}. */
    QUESTION_ANSWERING("qa", Head.QUESTION_ANSWERING, null),
    /** Which choice follows a prompt: {@code {"prompt", "choices": [texts], "label": index}}. */
    MULTIPLE_CHOICE("multiple-choice", Head.MULTIPLE_CHOICE, null),
    /** Masked language modelling on plain text: {@code {"text"}}. */
    MASKED_LM("mlm", Head.MASKED_LM, null);

    private final String cliName;
    private final Head head;
    private final String problemType;

    Task(String cliName, Head head, String problemType) {
        this.cliName = cliName;
        this.head = head;
        this.problemType = problemType;
    }

    /** The name {@code --task} takes. */
    public String cliName() {
        return cliName;
    }

    /** The head the task trains. */
    public Head head() {
        return head;
    }

    /** config.json's problem_type for sequence classification, else null. */
    public String problemType() {
        return problemType;
    }

    /** Whether the examples carry label names that become id2label. */
    public boolean hasLabelNames() {
        return this == SEQUENCE_CLASSIFICATION || this == MULTI_LABEL || this == TOKEN_CLASSIFICATION;
    }

    /** The task {@code --task} names. */
    public static Task of(String name) {
        for (Task t : values()) {
            if (t.cliName.equals(name)) {
                return t;
            }
        }
        throw new LsgException("--task " + name + ": expected one of "
                + Arrays.stream(values()).map(Task::cliName).collect(Collectors.joining(", ")));
    }
}
