package org.lsg4j;

/**
 * The one exception lsg4j throws for bad input: a missing or malformed file, a config that fails
 * validation, a tensor of the wrong shape. Its message is a single line meant for the user: which
 * file, which key or tensor, what was expected and what was found.
 *
 * <p>Inputs come from the internet, so a message must never carry their bytes as they are: a CR,
 * LF or escape sequence copied from a file would forge extra lines or drive the terminal. The
 * constructor therefore escapes every control character of the message, and {@link #excerpt}
 * is the one way to quote input text in it: short, escaped, marked when cut.
 */
public class LsgException extends RuntimeException {
    /** The most characters of input text a message quotes. */
    public static final int EXCERPT_CHARS = 60;

    public LsgException(String message) {
        super(oneLine(message));
    }

    public LsgException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * Input text as a message may quote it: at most {@value #EXCERPT_CHARS} characters, control
     * and format characters escaped, "..." and the full length when cut.
     */
    public static String excerpt(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int n = text.length();
        int shown = Math.min(n, EXCERPT_CHARS);
        if (shown < n && Character.isHighSurrogate(text.charAt(shown - 1))) {
            shown--;
        }
        String head = escape(text.subSequence(0, shown));
        return shown == n ? head : head + "... (" + n + " chars)";
    }

    /** The text with every control, format and line-separating character written as an escape: one line. */
    public static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        for (int i = 0; i < message.length(); i++) {
            if (needsEscape(message.charAt(i))) {
                return escape(message);
            }
        }
        return message;
    }

    private static String escape(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (needsEscape(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** C0 and C1 controls, DEL, and the format characters that move or reorder text (line separators, bidi controls). */
    private static boolean needsEscape(char c) {
        if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
    }
}
