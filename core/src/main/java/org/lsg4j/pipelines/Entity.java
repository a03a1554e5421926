package org.lsg4j.pipelines;

/**
 * One result of token classification: a token ({@link TokenEntity}, aggregation none) or a group
 * of tokens ({@link EntityGroup}, the other strategies). {@code start} and {@code end} are
 * {@code [start, end)} Java {@code String} (UTF-16) indices in the input text.
 */
public sealed interface Entity permits TokenEntity, EntityGroup {
    /** The label of the token, or of the group without its B-/I- prefix. */
    String label();

    /** The probability of the label (for a group, the mean over its members). */
    float score();

    /** The text of the token or group, as the tokenizer decodes it. */
    String word();

    int start();

    int end();
}
