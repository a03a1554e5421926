package org.lsg4j.tokenizer;

import org.junit.jupiter.api.Test;
import org.lsg4j.LsgException;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Tokenizer interface says about each kind: mask, special-token counts, type ids, the subword rule. */
class TokenizerKindsTest {
    private final Tokenizer roberta = Fixtures.robertaBase();
    private final Tokenizer bert = TestTokenizers.get(TestTokenizers.MINILM);
    private final Tokenizer xlmr = TestTokenizers.get(TestTokenizers.XLMR);
    private final Tokenizer albert = TestTokenizers.get(TestTokenizers.ALBERT);
    private final Tokenizer bytes = TestTokenizers.get(TestTokenizers.BYTE_FALLBACK);

    @Test
    void kindsMasksAndSpecialTokenCounts() {
        assertEquals(List.of("BPE", "WordPiece", "Unigram", "Unigram", "Unigram"),
                List.of(roberta.kind(), bert.kind(), xlmr.kind(), albert.kind(), bytes.kind()));
        assertEquals(Optional.of("<mask>"), roberta.maskToken());
        assertEquals(OptionalInt.of(50264), roberta.maskId());
        assertEquals(Optional.of("[MASK]"), bert.maskToken());
        assertEquals(OptionalInt.of(103), bert.maskId());
        assertEquals(Optional.of("<mask>"), xlmr.maskToken());
        assertEquals(OptionalInt.of(xlmr.vocabSize() - 1), xlmr.maskId());
        assertEquals(Optional.of("[MASK]"), albert.maskToken());
        assertEquals(OptionalInt.of(4), albert.maskId());
        assertEquals(Optional.empty(), bytes.maskToken());
        assertEquals(OptionalInt.empty(), bytes.maskId());
        int[][] counts = {{2, 4}, {2, 3}, {2, 4}, {2, 3}, {1, 2}};
        Tokenizer[] all = {roberta, bert, xlmr, albert, bytes};
        for (int k = 0; k < all.length; k++) {
            assertEquals(counts[k][0], all[k].numSpecialTokens(false), all[k].kind());
            assertEquals(counts[k][1], all[k].numSpecialTokens(true), all[k].kind());
            assertEquals(counts[k][1], all[k].encodePair("", "", true).length(), all[k].kind());
        }
        assertEquals(1, roberta.padId());
        assertEquals(0, bert.padId());
        assertEquals(1, xlmr.padId());
        assertEquals(0, albert.padId());
        LsgException e = assertThrows(LsgException.class, bytes::padId);
        assertTrue(e.getMessage().contains("no pad token"), e.getMessage());
    }

    @Test
    void typeIdsFollowTheTemplate() {
        Encoding b = bert.encodePair("hello there", "general kenobi", true);
        assertEquals(List.of("[CLS]", "hello", "there", "[SEP]", "general", "ken", "##ob", "##i", "[SEP]"), b.tokens());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 1}, b.typeIds());
        assertArrayEquals(new int[] {0, 0, 1, 1, 1, 1}, bert.encodePair("hello there", "general kenobi", false).typeIds());
        Encoding a = albert.encodePair("hello", "world", true);
        assertEquals(0, a.typeId(0));
        assertEquals(1, a.typeId(a.length() - 1));
        for (Tokenizer t : new Tokenizer[] {roberta, xlmr}) {
            assertTrue(Arrays.stream(t.encodePair("hello", "world", true).typeIds()).allMatch(x -> x == 0), t.kind());
        }
    }

    @Test
    void paddingAndWindowsKeepTypeIds() {
        String question = "where is it";
        String context = "it is in the garden behind the house near the old tree by the river ".repeat(6);
        BatchEncoding windows = bert.encodeBatch(List.of(TextInput.of(question, context)), BatchOptions.defaults()
                .withTruncation(new Truncation(TruncationStrategy.ONLY_SECOND, 24, 4, true))
                .withPadding(Padding.toLength(24)));
        assertTrue(windows.size() > 3);
        for (Encoding w : windows.encodings()) {
            assertEquals(24, w.length());
            for (int i = 0; i < w.length(); i++) {
                int expected = w.attentionMask()[i] == 0 ? 0 : w.sequenceId(i) == 1 || (w.sequenceId(i) < 0 && i > 4) ? 1 : 0;
                assertEquals(expected, w.typeId(i), "position " + i + " of " + w.tokens());
            }
        }
    }

    @Test
    void subwordRules() {
        String text = "unaffable Paris";
        Encoding wp = bert.encode(text, false);
        assertEquals(List.of("una", "##ffa", "##ble", "paris"), wp.tokens());
        boolean[] expected = {false, true, true, false};
        for (int i = 0; i < wp.length(); i++) {
            assertEquals(expected[i], bert.isSubword(wp, i, text), wp.token(i));
        }
        String unknown = "a ☃";
        Encoding unk = bert.encode(unknown, false);
        int at = unk.tokens().indexOf("[UNK]");
        assertTrue(at > 0, unk.tokens().toString());
        assertFalse(bert.isSubword(unk, at, unknown), "the unknown token never continues a word");
        // The space heuristic of byte-level BPE and Unigram: only U+0020 counts.
        for (String[] c : new String[][] {{"a b", "0", "false"}, {"ab", "1", "true"}, {"a b", "1", "false"}, {"a\tb", "2", "true"}}) {
            Encoding e = roberta.encode(c[0], false);
            int start = Integer.parseInt(c[1]);
            int i = 0;
            while (e.start(i) != start && e.end(i) <= start) {
                i++;
            }
            Encoding one = onePositionAt(e, i, start);
            assertEquals(Boolean.parseBoolean(c[2]), roberta.isSubword(one, 0, c[0]), String.join("|", c));
            assertEquals(Boolean.parseBoolean(c[2]), xlmr.isSubword(one, 0, c[0]), String.join("|", c));
        }
    }

    /** An encoding holding position {@code i} of {@code e} with its start moved to {@code start} (the rule only reads the start). */
    private static Encoding onePositionAt(Encoding e, int i, int start) {
        return new Encoding.Builder(1).token(e.id(i), e.token(i), start, Math.max(start, e.end(i)), 0).build();
    }
}
