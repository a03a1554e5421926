package org.lsg4j.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties that hold for any input, checked on random strings with fixed seeds. */
class PropertyTest {
    private static final List<String> SPECIAL_STRINGS = List.of("<s>", "</s>", "<pad>", "<unk>", "<mask>");
    private final Tokenizer tokenizer = Fixtures.robertaBase();

    @Test
    void decodeInvertsEncodeForValidText() {
        Random random = new Random(42);
        for (int n = 0; n < 3000; n++) {
            String text = RandomText.valid(random, random.nextInt(60));
            if (SPECIAL_STRINGS.stream().anyMatch(text::contains)) {
                continue;
            }
            Encoding e = tokenizer.encode(text, false);
            assertEquals(text, tokenizer.decode(e.ids(), false, false), () -> "round trip of " + escape(text));
            assertOffsetsWellFormed(e, text);
        }
    }

    @Test
    void anyStringEncodesAndLoneSurrogatesBecomeReplacementCharacters() {
        Random random = new Random(7);
        for (int n = 0; n < 3000; n++) {
            String text = RandomText.anyChars(random, random.nextInt(40));
            Encoding e = tokenizer.encode(text);
            assertOffsetsWellFormed(e, text);
            if (SPECIAL_STRINGS.stream().noneMatch(text::contains)) {
                assertEquals(withReplacementCharacters(text), tokenizer.decode(e.ids(), true, false),
                        () -> "lone surrogates in " + escape(text));
            }
        }
    }

    /** WordPiece and Unigram take any string too, lone surrogates read as U+FFFD, with offsets in bounds. */
    @Test
    void everyKindEncodesAnyString() {
        Random random = new Random(9);
        for (String name : new String[] {TestTokenizers.MINILM, TestTokenizers.XLMR, TestTokenizers.ALBERT,
                TestTokenizers.BYTE_FALLBACK}) {
            Tokenizer t = TestTokenizers.get(name);
            for (int n = 0; n < 1500; n++) {
                String text = RandomText.anyChars(random, random.nextInt(40));
                Encoding e = t.encodePair(text, text, true);
                for (int i = 0; i < e.length(); i++) {
                    assertTrue(e.start(i) <= e.end(i) && e.end(i) <= text.length(), name + " offsets of " + escape(text));
                }
                Encoding replaced = t.encodePair(withReplacementCharacters(text), withReplacementCharacters(text), true);
                assertEquals(replaced.tokens(), e.tokens(), () -> name + ": lone surrogates in " + escape(text));
                for (int i = 0; i < e.length(); i++) {
                    assertEquals(replaced.start(i) + ":" + replaced.end(i), e.start(i) + ":" + e.end(i));
                }
            }
        }
    }

    @Test
    void oneMegabyteInputsEncode() {
        Random random = new Random(3);
        StringBuilder mixed = new StringBuilder();
        while (mixed.length() < 1 << 20) {
            mixed.append(RandomText.anyChars(random, 50)).append(' ');
        }
        checkLarge(mixed.toString());
        checkLarge("a".repeat(1 << 20));
        StringBuilder noSpaces = new StringBuilder();
        while (noSpaces.length() < 1 << 20) {
            noSpaces.append((char) ('a' + random.nextInt(26)));
        }
        checkLarge(noSpaces.toString());
    }

    private void checkLarge(String text) {
        Encoding e = tokenizer.encode(text, false);
        assertOffsetsWellFormed(e, text);
        if (SPECIAL_STRINGS.stream().noneMatch(text::contains)) {
            assertEquals(withReplacementCharacters(text), tokenizer.decode(e.ids(), false, false));
        }
    }

    private static void assertOffsetsWellFormed(Encoding e, String text) {
        int previousStart = 0;
        for (int i = 0; i < e.length(); i++) {
            if (e.sequenceId(i) < 0) {
                assertEquals(0, e.start(i));
                assertEquals(0, e.end(i));
                continue;
            }
            int start = e.start(i);
            int end = e.end(i);
            assertTrue(0 <= start && start <= end && end <= text.length(), "offsets in bounds");
            assertTrue(start >= previousStart || end <= previousStart, "offsets do not go backwards");
            assertTrue(start == end || start == 0 || !Character.isLowSurrogate(text.charAt(start))
                    || !Character.isHighSurrogate(text.charAt(start - 1)), "no offset splits a surrogate pair");
            previousStart = start;
        }
    }

    /** The text with every lone surrogate replaced by U+FFFD. */
    private static String withReplacementCharacters(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(cp -> b.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp));
        return b.toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.toString();
    }
}
