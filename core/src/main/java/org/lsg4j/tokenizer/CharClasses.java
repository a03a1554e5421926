package org.lsg4j.tokenizer;

/**
 * The character classes the GPT-2 pre-tokenization pattern uses, by Unicode property.
 *
 * <p>Whitespace here is the Unicode {@code White_Space} property (what Rust's
 * {@code char::is_whitespace} and the reference regex's {@code \s} test), not
 * {@link Character#isWhitespace}: U+00A0, U+2007, U+202F and U+0085 are whitespace, U+001C..U+001F
 * are not.
 */
final class CharClasses {
    private CharClasses() {
    }

    /** Unicode White_Space: the 25 code points listed in PropList.txt. */
    static boolean isWhiteSpace(int cp) {
        if (cp <= 0x20) {
            return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
        }
        if (cp < 0x85) {
            return false;
        }
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** General category L (Lu, Ll, Lt, Lm, Lo), the pattern's {@code \p{L}}. */
    static boolean isLetter(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> true;
            default -> false;
        };
    }

    /** General category N (Nd, Nl, No), the pattern's {@code \p{N}}. */
    static boolean isNumber(int cp) {
        if (cp < 0x80) {
            return cp >= '0' && cp <= '9';
        }
        return switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }
}
