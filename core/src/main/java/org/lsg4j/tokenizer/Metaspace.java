package org.lsg4j.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * SentencePiece's view of spaces, as the Metaspace pre-tokenizer and decoder of tokenizer.json.
 *
 * <p>Pre-tokenizing a piece: every space (U+0020 only) becomes the replacement ({@code ▁}), which
 * takes the space's span; then the replacement is put in front unless the piece already starts
 * with it ({@code always}; {@code first}: only for a piece that starts at the very beginning of
 * the input; {@code never}), taking the span of the piece's first char; then, with {@code split},
 * the piece is cut before every replacement that is followed by something else than a
 * replacement, so {@code "▁▁a"} gives {@code "▁"} and {@code "▁a"}.
 *
 * <p>Decoding: each replacement becomes a space, except that the first token loses them unless
 * the scheme is {@code never}.
 *
 * @param replacement the char standing for a space
 * @param prependScheme when the replacement is put in front of a piece
 * @param split cut the piece into words at the replacements
 */
record Metaspace(int replacement, PrependScheme prependScheme, boolean split) implements PreTokenizer, Decoder {
    /** When a piece gets the replacement in front. */
    enum PrependScheme { ALWAYS, FIRST, NEVER }

    @Override
    public void split(Normalized piece, int from, int to, WordSink sink) {
        Normalized n = piece.slice(from, to);
        String text = n.text();
        int spaces = 0;
        for (int i = 0; i < text.length(); i++) {
            spaces += text.charAt(i) == ' ' ? 1 : 0;
        }
        if (spaces > 0) {
            int[] starts = new int[spaces];
            int[] ends = new int[spaces];
            for (int i = 0, k = 0; i < text.length(); i++) {
                if (text.charAt(i) == ' ') {
                    starts[k] = i;
                    ends[k] = i + 1;
                    k++;
                }
            }
            n = n.replace(starts, ends, spaces, Character.toString(replacement));
        }
        boolean startsWithReplacement = !n.isEmpty() && n.text().codePointAt(0) == replacement;
        if (!startsWithReplacement && (prependScheme == PrependScheme.ALWAYS
                || (prependScheme == PrependScheme.FIRST && n.origin() == 0))) {
            n = n.prepend(Character.toString(replacement));
        }
        if (!split) {
            if (!n.isEmpty()) {
                sink.word(n, 0, n.length());
            }
            return;
        }
        text = n.text();
        int word = 0;
        for (int i = 0; i < text.length(); ) {
            int next = i + Character.charCount(text.codePointAt(i));
            if (text.codePointAt(i) == replacement) {
                boolean followed = next < text.length() && text.codePointAt(next) != replacement;
                if (word < i) {
                    sink.word(n, word, i);
                }
                if (followed) {
                    word = i;
                } else {
                    sink.word(n, i, next);
                    word = next;
                }
            }
            i = next;
        }
        if (word < text.length()) {
            sink.word(n, word, text.length());
        }
    }

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int t = 0; t < tokens.size(); t++) {
            String token = tokens.get(t);
            StringBuilder b = new StringBuilder(token.length());
            for (int i = 0; i < token.length(); i += Character.charCount(token.codePointAt(i))) {
                int cp = token.codePointAt(i);
                if (cp != replacement) {
                    b.appendCodePoint(cp);
                } else if (t != 0 || prependScheme == PrependScheme.NEVER) {
                    b.append(' ');
                }
            }
            out.add(b.toString());
        }
        return out;
    }
}
