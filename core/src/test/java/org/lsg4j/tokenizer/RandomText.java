package org.lsg4j.tokenizer;

import java.util.Random;

/** Random strings for property tests: mixed scripts, whitespace, emoji, controls. */
final class RandomText {
    /** Code point ranges drawn from, each with the same weight. */
    private static final int[][] RANGES = {
        {'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {0x20, 0x7E}, {0x20, 0x20}, {0x09, 0x0D}, {0x00, 0x1F},
        {0x80, 0xFF}, {0x0300, 0x036F}, {0x0400, 0x04FF}, {0x0590, 0x06FF}, {0x0900, 0x097F},
        {0x2000, 0x206F}, {0x3000, 0x303F}, {0x4E00, 0x4E80}, {0xFF00, 0xFFEF}, {0x1F300, 0x1F64F},
        {0x1D400, 0x1D4FF}, {'\'', '\''},
    };

    private RandomText() {
    }

    /** Valid Unicode text (no lone surrogates) of {@code length} code points. */
    static String valid(Random random, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int[] r = RANGES[random.nextInt(RANGES.length)];
            b.appendCodePoint(r[0] + random.nextInt(r[1] - r[0] + 1));
        }
        return b.toString();
    }

    /** Any UTF-16 units, lone surrogates included, mixed with valid text. */
    static String anyChars(Random random, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (random.nextInt(4) == 0) {
                b.append((char) random.nextInt(0x10000));
            } else {
                b.append(valid(random, 1));
            }
        }
        return b.toString();
    }
}
