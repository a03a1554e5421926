package org.lsg4j.tokenizer;

import org.junit.jupiter.api.Test;

import java.text.Normalizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Unicode 9.0.0 tables: a few facts of that version, where it differs from the JDK's newer
 * tables, and agreement with java.text.Normalizer on every character assigned in 9.0.0 and not
 * changed since (decompositions are stable once assigned).
 */
class Unicode9Test {
    private final Unicode9 u = Unicode9.get();

    @Test
    void factsOfVersionNine() {
        assertEquals(230, u.combiningClass(0x301));
        assertEquals(220, u.combiningClass(0x323));
        assertEquals(0, u.combiningClass('a'));
        assertEquals(0xE9, u.compose('e', 0x301));
        assertEquals(-1, u.compose('q', 0x301));
        assertArrayEquals(new int[] {'A', 0x30A}, u.canonicalDecomposition(0x212B));
        assertArrayEquals(new int[] {'f', 'i'}, u.compatibilityDecomposition(0xFB01));
        assertTrue(u.isPunctuation(0x2E42) && u.isNonspacingMark(0x301) && u.isCombiningMark(0x903) && u.isOther(0x200B));
        // U+A7F2 (MODIFIER LETTER CAPITAL C, Unicode 14) folds to "C" under the JDK's NFKD, not under 9.0.0.
        assertNull(u.compatibilityDecomposition(0xA7F2));
        assertEquals("C", Normalizer.normalize("\uA7F2", Normalizer.Form.NFKD));
        // U+2E4F (CORNISH VERSE DIVIDER, Unicode 11) is punctuation for the JDK, unassigned in 9.0.0.
        assertFalse(u.isPunctuation(0x2E4F));
        assertEquals(Character.OTHER_PUNCTUATION, Character.getType(0x2E4F));
    }

    @Test
    void decompositionsAgreeWithTheJdkOnTheCharactersOfVersionNine() {
        int checked = 0;
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
            int[] canonical = u.canonicalDecomposition(cp);
            if (canonical == null) {
                continue;
            }
            String nfd = Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFD);
            assertEquals(nfd, new String(canonical, 0, canonical.length), "U+" + Integer.toHexString(cp));
            int[] compatible = u.compatibilityDecomposition(cp);
            if (compatible != null) {
                assertEquals(Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFKD),
                        new String(compatible, 0, compatible.length), "U+" + Integer.toHexString(cp));
            }
            checked++;
        }
        assertNotEquals(0, checked);
        assertTrue(checked > 2000, checked + " canonical decompositions");
    }
}
