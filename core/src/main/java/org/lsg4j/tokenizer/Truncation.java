package org.lsg4j.tokenizer;

/**
 * Truncation settings: tokens are removed from the end of the inputs until the encoding, special
 * tokens included, fits {@code maxLength}.
 *
 * <p>With {@code overflowing} set, nothing is dropped: the cut input is split into windows of the
 * room left, each overlapping the previous one by {@code stride} tokens, and every window becomes
 * its own encoding (like return_overflowing_tokens of the reference). For a pair, windows need
 * {@link TruncationStrategy#ONLY_FIRST} or {@link TruncationStrategy#ONLY_SECOND}: the other input
 * is repeated whole in each window.
 *
 * @param strategy which input is cut
 * @param maxLength the maximum number of positions, special tokens included
 * @param stride overlap between consecutive windows, in tokens
 * @param overflowing return all windows instead of the first one only
 */
public record Truncation(TruncationStrategy strategy, int maxLength, int stride, boolean overflowing) {
    public Truncation {
        if (strategy == null) {
            throw new IllegalArgumentException("truncation strategy must be given");
        }
        if (maxLength < 1 || stride < 0) {
            throw new IllegalArgumentException("truncation needs maxLength >= 1 and stride >= 0, got "
                    + maxLength + " and " + stride);
        }
    }

    /** {@link TruncationStrategy#LONGEST_FIRST} to {@code maxLength}, without windows. */
    public static Truncation longestFirst(int maxLength) {
        return new Truncation(TruncationStrategy.LONGEST_FIRST, maxLength, 0, false);
    }

    /** Windows of {@code maxLength} positions overlapping by {@code stride} tokens, cutting the text. */
    public static Truncation windows(int maxLength, int stride) {
        return new Truncation(TruncationStrategy.ONLY_FIRST, maxLength, stride, true);
    }
}
