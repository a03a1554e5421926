package org.lsg4j.tokenizer;

/**
 * Turns one word (a range of normalized text) into tokens: the model of tokenizer.json
 * ({@link BpeModel}, {@link WordPieceModel}, {@link UnigramModel}). Immutable and thread-safe.
 */
interface Model {
    /** Receives each token of a word, in order, with its {@code [start, end)} in the word's text. */
    interface TokenSink {
        void token(int id, String value, int start, int end);
    }

    /** Gives the tokens of the non-empty word {@code text[from, to)} to {@code sink}, in order. */
    void tokenize(String text, int from, int to, TokenSink sink);
}
