package org.lsg4j.tokenizer;

/**
 * How a Java string is read as code points and UTF-8 bytes.
 *
 * <p>A lone surrogate (a UTF-16 unit that is not half of a valid pair) cannot be encoded in UTF-8;
 * it is read as U+FFFD REPLACEMENT CHARACTER, so it becomes the three bytes EF BF BD and its token
 * covers that one UTF-16 unit. Decoding such ids gives back U+FFFD, not the lone surrogate.
 */
final class TextChars {
    static final int REPLACEMENT = 0xFFFD;

    private TextChars() {
    }

    /** The code point starting at {@code i}, with lone surrogates read as U+FFFD. */
    static int codePointAt(CharSequence s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            return Character.toCodePoint(c, s.charAt(i + 1));
        }
        return Character.isSurrogate(c) ? REPLACEMENT : c;
    }

    /** {@code s} with every lone surrogate replaced by U+FFFD (same length, so indices do not move). */
    static String withoutLoneSurrogates(String s) {
        char[] chars = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            if (chars == null) {
                chars = s.toCharArray();
            }
            chars[i] = (char) REPLACEMENT;
        }
        return chars == null ? s : new String(chars);
    }

    /** Number of UTF-16 units of the character at {@code i} (2 for a valid pair, else 1). */
    static int charCount(CharSequence s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                ? 2 : 1;
    }

    /** Number of UTF-8 bytes of a code point. */
    static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /** The UTF-8 bytes of {@code s[from, to)}, lone surrogates as U+FFFD. */
    static byte[] utf8(CharSequence s, int from, int to) {
        int size = 0;
        for (int i = from; i < to; i += charCount(s, i)) {
            size += utf8Length(codePointAt(s, i));
        }
        byte[] out = new byte[size];
        int k = 0;
        for (int i = from; i < to; i += charCount(s, i)) {
            k = put(out, k, codePointAt(s, i));
        }
        return out;
    }

    private static int put(byte[] out, int k, int cp) {
        if (cp < 0x80) {
            out[k++] = (byte) cp;
        } else if (cp < 0x800) {
            out[k++] = (byte) (0xC0 | (cp >> 6));
            out[k++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[k++] = (byte) (0xE0 | (cp >> 12));
            out[k++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[k++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            out[k++] = (byte) (0xF0 | (cp >> 18));
            out[k++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            out[k++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[k++] = (byte) (0x80 | (cp & 0x3F));
        }
        return k;
    }
}
