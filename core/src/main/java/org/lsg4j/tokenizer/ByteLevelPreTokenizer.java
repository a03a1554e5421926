package org.lsg4j.tokenizer;

/**
 * The ByteLevel pre-tokenizer (no prefix space, with the regex): splits text into words the way
 * the GPT-2 pattern does:
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}.
 *
 * <p>The pattern is matched by hand in one left-to-right pass (linear time), trying the
 * alternatives in the pattern's order at each position:
 * <ul>
 *   <li>the contractions, lower case only and with the ASCII apostrophe;</li>
 *   <li>an optional single U+0020 space followed by a run of letters, or of numbers, or of other
 *       characters (neither whitespace, letter nor number);</li>
 *   <li>a run of whitespace: when more text follows, the last whitespace character is left to the
 *       next word ({@code \s+(?!\S)} backtracks one), unless the run is a single character.</li>
 * </ul>
 * The byte-level part (each byte of a word becomes one character of the alphabet) is left to
 * {@link BpeModel}, which works on the bytes directly.
 */
record ByteLevelPreTokenizer() implements PreTokenizer {
    @Override
    public void split(Normalized piece, int from, int to, WordSink sink) {
        String text = piece.text();
        int i = from;
        while (i < to) {
            int end = matchAt(text, i, to);
            sink.word(piece, i, end);
            i = end;
        }
    }

    private static int matchAt(CharSequence s, int i, int to) {
        int cp = TextChars.codePointAt(s, i);
        int contraction = contractionLength(s, i, to);
        if (contraction > 0) {
            return i + contraction;
        }
        int j = i;
        int first = cp;
        if (cp == ' ' && i + 1 < to) {
            j = i + 1;
            first = TextChars.codePointAt(s, j);
        }
        if (CharClasses.isLetter(first)) {
            return runEnd(s, j, to, Kind.LETTER);
        }
        if (CharClasses.isNumber(first)) {
            return runEnd(s, j, to, Kind.NUMBER);
        }
        if (!CharClasses.isWhiteSpace(first)) {
            return runEnd(s, j, to, Kind.OTHER);
        }
        // j == i here unless a space is followed by whitespace, in which case the run starts at i.
        int end = runEnd(s, i, to, Kind.SPACE);
        if (end == to) {
            return end;
        }
        int last = end - 1; // whitespace is always a single UTF-16 unit
        return last > i ? last : end;
    }

    private static int contractionLength(CharSequence s, int i, int to) {
        if (s.charAt(i) != '\'' || i + 1 >= to) {
            return 0;
        }
        char a = s.charAt(i + 1);
        if (a == 's' || a == 't' || a == 'm' || a == 'd') {
            return 2;
        }
        if (i + 2 < to) {
            char b = s.charAt(i + 2);
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
                return 3;
            }
        }
        return 0;
    }

    private enum Kind { LETTER, NUMBER, OTHER, SPACE }

    private static int runEnd(CharSequence s, int i, int to, Kind kind) {
        while (i < to) {
            int cp = TextChars.codePointAt(s, i);
            if (!is(kind, cp)) {
                break;
            }
            i += TextChars.charCount(s, i);
        }
        return i;
    }

    private static boolean is(Kind kind, int cp) {
        return switch (kind) {
            case LETTER -> CharClasses.isLetter(cp);
            case NUMBER -> CharClasses.isNumber(cp);
            case SPACE -> CharClasses.isWhiteSpace(cp);
            case OTHER -> !CharClasses.isWhiteSpace(cp) && !CharClasses.isLetter(cp) && !CharClasses.isNumber(cp);
        };
    }
}
