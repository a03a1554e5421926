package org.lsg4j.io;

import org.lsg4j.LsgException;

/**
 * Strict UTF-8 validation, as Python's {@code bytes.decode("utf-8")} applies it: no overlong
 * forms, no surrogates, nothing past U+10FFFF, no truncated sequence. Java's decoders replace bad
 * bytes with U+FFFD by default; lsg4j refuses them instead, at a stated byte offset and line, so
 * that a file and the same bytes on stdin are read alike.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** The offset of the first byte of {@code b[from, to)} that is not part of valid UTF-8, or -1. */
    public static int firstInvalid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                min = 0x10000;
            } else {
                return i;
            }
            int cp = c & (0x3f >> need);
            for (int k = 1; k <= need; k++) {
                if (i + k >= to || (b[i + k] & 0xc0) != 0x80) {
                    return i;
                }
                cp = cp << 6 | (b[i + k] & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return i;
            }
            i += need + 1;
        }
        return -1;
    }

    /**
     * Fails naming {@code source}, the byte offset and the line (counted from 1 at {@code from})
     * when {@code b[from, to)} is not valid UTF-8.
     */
    public static void requireValid(byte[] b, int from, int to, String source) {
        int bad = firstInvalid(b, from, to);
        if (bad >= 0) {
            int line = 1;
            for (int i = from; i < bad; i++) {
                if (b[i] == '\n') {
                    line++;
                }
            }
            throw new LsgException(source + ": invalid UTF-8 at byte " + (bad - from) + " (line " + line + "): "
                    + String.format("0x%02x", b[bad] & 0xff));
        }
    }
}
