package org.lsg4j.pipelines;

import org.lsg4j.LsgException;

import java.util.Locale;

/** How a sentence embedding is made from the encoder's output. */
public enum Pooling {
    /** Row 0 ({@code <s>}); with {@code pool_with_global} that row holds the first global token's output. */
    CLS,
    /** The mean of the rows the attention mask keeps ({@code <s>} and {@code </s>} included, padding left out). */
    MEAN,
    /** The first global token's output, whether or not {@code pool_with_global} put it in row 0. */
    GLOBAL;

    /** Parses {@code cls}, {@code mean} or {@code global}, in any case. */
    public static Pooling parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LsgException("pooling must be cls, mean or global, not '" + name + "'");
        }
    }
}
