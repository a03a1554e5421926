package org.lsg4j.tokenizer;

/**
 * Padding settings for a batch. Padded positions get the pad id, the pad token string, attention
 * mask 0, offsets {@code [0, 0]} and sequence id -1.
 *
 * @param strategy pad to the longest encoding of the batch or to {@code length}
 * @param length the target length for {@link PaddingStrategy#MAX_LENGTH} (ignored otherwise)
 * @param multipleOf round the target length up to a multiple of this (1: no rounding)
 * @param left pad on the left instead of the right
 * @param padId the id to pad with, or -1 for the tokenizer's pad token
 */
public record Padding(PaddingStrategy strategy, int length, int multipleOf, boolean left, int padId) {
    public Padding {
        if (strategy == null) {
            throw new IllegalArgumentException("padding strategy must be given");
        }
        if (multipleOf < 1 || (strategy == PaddingStrategy.MAX_LENGTH && length < 1) || padId < -1) {
            throw new IllegalArgumentException("padding needs multipleOf >= 1, a positive length for MAX_LENGTH"
                    + " and padId >= -1");
        }
    }

    /** Right padding to the longest encoding of the batch with the tokenizer's pad token. */
    public static Padding longest() {
        return new Padding(PaddingStrategy.LONGEST, 0, 1, false, -1);
    }

    /** Right padding to {@code length} with the tokenizer's pad token. */
    public static Padding toLength(int length) {
        return new Padding(PaddingStrategy.MAX_LENGTH, length, 1, false, -1);
    }

    public Padding withMultipleOf(int multiple) {
        return new Padding(strategy, length, multiple, left, padId);
    }

    public Padding onLeft() {
        return new Padding(strategy, length, multipleOf, true, padId);
    }

    public Padding withPadId(int id) {
        return new Padding(strategy, length, multipleOf, left, id);
    }

    /** The length to pad to, given the longest encoding of the batch. */
    int target(int longest) {
        int base = strategy == PaddingStrategy.LONGEST ? longest : length;
        return (base + multipleOf - 1) / multipleOf * multipleOf;
    }
}
