package org.lsg4j.tokenizer;

/**
 * One input of a batch: a text and, for a sentence pair, its second string.
 *
 * @param text the text (never null)
 * @param pair the second string, or null for a single text
 */
public record TextInput(String text, String pair) {
    public TextInput {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
    }

    public static TextInput of(String text) {
        return new TextInput(text, null);
    }

    public static TextInput of(String text, String pair) {
        return new TextInput(text, pair);
    }
}
