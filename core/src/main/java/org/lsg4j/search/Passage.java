package org.lsg4j.search;

/**
 * A passage of a document: tokens {@code [fromToken, toToken)} of its encoding, characters {@code [start, end)}
 * of its text (see {@link DocumentEmbedder}).
 */
public record Passage(int fromToken, int toToken, int start, int end) {
}
