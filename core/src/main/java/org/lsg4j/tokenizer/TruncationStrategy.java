package org.lsg4j.tokenizer;

/** Which input loses tokens when an encoding is longer than the maximum length. */
public enum TruncationStrategy {
    /**
     * Tokens go from the longer input (the Rust tokenizers' longest_first): a pair that does not fit
     * keeps the shorter input whole when it fits in half the room, otherwise both get half, the
     * longer one (the pair, on a tie) taking the odd token. Python's slow tokenizers, which remove
     * from the pair first on a tie, can differ by one token between the two inputs when the room
     * left for them is odd.
     */
    LONGEST_FIRST,
    /** Only the text is cut; the pair is kept whole. */
    ONLY_FIRST,
    /** Only the pair is cut; the text is kept whole (a pair is required). */
    ONLY_SECOND
}
