package org.lsg4j.tokenizer;

/**
 * The BERT normalizer, in the reference's order: clean the text (drop NUL, U+FFFD and control
 * characters, turn every whitespace into a space), put spaces around CJK ideographs, strip accents
 * (NFD, then drop the non-spacing marks), lowercase.
 *
 * <p>"Control" is general category Cc, Cf or Co except tab, newline and carriage return, which
 * count as whitespace; categories are those of Unicode 9.0.0, which the reference's tables hold
 * (a character assigned later is kept, never dropped).
 *
 * @param cleanText drop controls and normalize whitespace
 * @param handleChineseChars surround CJK ideographs with spaces
 * @param stripAccents strip accents; null follows {@code lowercase} (the reference's default)
 * @param lowercase lowercase the text
 */
record BertNormalizer(boolean cleanText, boolean handleChineseChars, Boolean stripAccents, boolean lowercase)
        implements Normalizer {

    @Override
    public Normalized normalize(Normalized n) {
        Unicode9 u = Unicode9.get();
        Normalized out = n;
        if (cleanText) {
            out = out.filter(cp -> !(cp == 0 || cp == 0xFFFD || isControl(u, cp)))
                    .map(cp -> isWhitespace(cp) ? ' ' : cp);
        }
        if (handleChineseChars) {
            out = surroundChineseChars(out);
        }
        if (stripAccents == null ? lowercase : stripAccents) {
            out = UnicodeForms.apply(out, UnicodeForms.Form.NFD).filter(cp -> !u.isNonspacingMark(cp));
        }
        if (lowercase) {
            out = Lowercase.lowercase(out);
        }
        return out;
    }

    private static boolean isWhitespace(int cp) {
        return cp == '\t' || cp == '\n' || cp == '\r' || CharClasses.isWhiteSpace(cp);
    }

    private static boolean isControl(Unicode9 u, int cp) {
        return cp != '\t' && cp != '\n' && cp != '\r' && u.isOther(cp);
    }

    /** The CJK Unified Ideographs blocks and extensions BERT treats as words of their own. */
    static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    private static Normalized surroundChineseChars(Normalized n) {
        String text = n.text();
        Normalized.Edit edit = new Normalized.Edit(text.length() + 8);
        boolean any = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isChineseChar(cp)) {
                edit.add(' ', 0);
                edit.add(cp, 1);
                edit.add(' ', 1);
                any = true;
            } else {
                edit.add(cp, 0);
            }
        }
        return any ? n.transform(edit, 0) : n;
    }
}
