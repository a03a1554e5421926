package org.lsg4j.tokenizer;

/**
 * How a batch is encoded.
 *
 * @param addSpecialTokens add {@code <s> A </s>} / {@code <s> A </s></s> B </s>}
 * @param truncation truncation settings, or null for none
 * @param padding padding settings, or null for none
 */
public record BatchOptions(boolean addSpecialTokens, Truncation truncation, Padding padding) {
    /** Special tokens, no truncation, no padding. */
    public static BatchOptions defaults() {
        return new BatchOptions(true, null, null);
    }

    public BatchOptions withTruncation(Truncation t) {
        return new BatchOptions(addSpecialTokens, t, padding);
    }

    public BatchOptions withPadding(Padding p) {
        return new BatchOptions(addSpecialTokens, truncation, p);
    }

    public BatchOptions withoutSpecialTokens() {
        return new BatchOptions(false, truncation, padding);
    }
}
