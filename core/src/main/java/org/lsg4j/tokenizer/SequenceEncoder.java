package org.lsg4j.tokenizer;

/**
 * Encodes one string without special tokens: added-token matching, GPT-2 pre-tokenization,
 * byte-level BPE, then the offsets of each token.
 *
 * <p>Offsets follow the reference in UTF-16 units instead of code points. A token that covers only
 * part of a character's UTF-8 bytes reports the whole character (both halves of an emoji span
 * it). Then the ByteLevel {@code trim_offsets} rule: leading and trailing characters of the token
 * string that are {@code Ġ} or White_Space are left out of the span, so {@code Ġworld} starts at
 * the {@code w} and a token that is only spaces becomes empty at its end; the whitespace a
 * {@code <mask>} swallows by lstrip stays in its token string but not in its offsets.
 */
final class SequenceEncoder {
    private final AddedTokenSplitter splitter;
    private final BpeModel bpe;
    private final String[] idToToken;
    private final boolean trimOffsets;

    SequenceEncoder(AddedTokenSplitter splitter, BpeModel bpe, String[] idToToken, boolean trimOffsets) {
        this.splitter = splitter;
        this.bpe = bpe;
        this.idToToken = idToToken;
        this.trimOffsets = trimOffsets;
    }

    /** The tokens of {@code text} as an encoding of input 0, without special tokens. */
    Encoding encode(String text) {
        Encoding.Builder out = new Encoding.Builder(text.length() / 3);
        int[] words = {0};   // word index: each added token and each pre-tokenizer split is one word
        for (AddedTokenSplitter.Segment segment : splitter.split(text)) {
            if (segment.token() != null) {
                addTrimmed(out, segment.token().id(), text.substring(segment.start(), segment.end()),
                        segment.start(), segment.end(), words[0]++);
            } else {
                PreTokenizer.split(text, segment.start(), segment.end(),
                        (start, end) -> addWord(out, text, start, end, words[0]++));
            }
        }
        return out.build();
    }

    private void addWord(Encoding.Builder out, String text, int from, int to, int word) {
        int[] pieces = bpe.tokenize(text, from, to);
        // Walk the word's characters alongside the pieces' bytes.
        int charStart = from;
        int charBytesEnd = TextChars.utf8Length(TextChars.codePointAt(text, from));
        int bytePos = 0;
        for (int p = 0; p < pieces.length; p += 2) {
            int pieceEnd = bytePos + pieces[p + 1];
            int start = charStart;
            while (charBytesEnd < pieceEnd) {
                charStart += TextChars.charCount(text, charStart);
                charBytesEnd += TextChars.utf8Length(TextChars.codePointAt(text, charStart));
            }
            int end = charStart + TextChars.charCount(text, charStart);
            addTrimmed(out, pieces[p], idToToken[pieces[p]], start, end, word);
            bytePos = pieceEnd;
            if (charBytesEnd == pieceEnd && end < to) {
                charStart = end;
                charBytesEnd += TextChars.utf8Length(TextChars.codePointAt(text, charStart));
            }
        }
    }

    private void addTrimmed(Encoding.Builder out, int id, String token, int start, int end, int word) {
        if (!trimOffsets) {
            out.add(id, token, start, end, 0, word, 1);
            return;
        }
        int leading = 0;
        while (leading < token.length() && isSpace(token.charAt(leading))) {
            leading++;
        }
        int trailing = 0;
        while (trailing < token.length() && isSpace(token.charAt(token.length() - 1 - trailing))) {
            trailing++;
        }
        int s = Math.min(start + leading, end);
        int e = trailing > 0 && end >= trailing ? Math.max(end - trailing, s) : end;
        out.add(id, token, s, e, 0, word, 1);
    }

    private static boolean isSpace(char c) {
        return c == ByteLevelAlphabet.SPACE || CharClasses.isWhiteSpace(c);
    }
}
