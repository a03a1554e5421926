package org.lsg4j.tokenizer;

/** To what length the encodings of a batch are padded. */
public enum PaddingStrategy {
    /** The longest encoding of the batch. */
    LONGEST,
    /** A fixed length (encodings already longer are left as they are). */
    MAX_LENGTH
}
