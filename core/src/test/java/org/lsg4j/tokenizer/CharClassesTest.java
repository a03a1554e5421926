package org.lsg4j.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The character classes agree with java.util.regex's Unicode properties over all code points. */
class CharClassesTest {
    private static final Pattern WHITE_SPACE = Pattern.compile("\\p{IsWhite_Space}");
    private static final Pattern LETTER = Pattern.compile("\\p{L}");
    private static final Pattern NUMBER = Pattern.compile("\\p{N}");

    @Test
    void classesMatchUnicodeProperties() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.getType(cp) == Character.UNASSIGNED || Character.isSurrogate((char) cp) && cp < 0x10000) {
                continue;
            }
            String s = Character.toString(cp);
            assertEquals(WHITE_SPACE.matcher(s).matches(), CharClasses.isWhiteSpace(cp), "White_Space " + cp);
            assertEquals(LETTER.matcher(s).matches(), CharClasses.isLetter(cp), "letter " + cp);
            assertEquals(NUMBER.matcher(s).matches(), CharClasses.isNumber(cp), "number " + cp);
        }
    }

    @Test
    void whiteSpaceIsNotJavaIsWhitespace() {
        // The two definitions disagree on these; the tokenizer must follow White_Space.
        for (int cp : new int[] {0xA0, 0x2007, 0x202F, 0x85, 0x1C, 0x1F}) {
            assertNotEquals(Character.isWhitespace(cp), CharClasses.isWhiteSpace(cp), "U+" + Integer.toHexString(cp));
        }
    }
}
