package org.lsg4j.tokenizer;

/** Which input loses tokens when an encoding is longer than the maximum length. */
public enum TruncationStrategy {
    /** Tokens go from the longer input, one at a time (the reference's longest_first). */
    LONGEST_FIRST,
    /** Only the text is cut; the pair is kept whole. */
    ONLY_FIRST,
    /** Only the pair is cut; the text is kept whole (a pair is required). */
    ONLY_SECOND
}
