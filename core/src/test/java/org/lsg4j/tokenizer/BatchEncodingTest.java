package org.lsg4j.tokenizer;

import org.junit.jupiter.api.Test;
import org.lsg4j.LsgException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Truncation, overflowing windows and padding of encodeBatch, checked against single encodings. */
class BatchEncodingTest {
    private final Tokenizer tokenizer = Fixtures.robertaBase();
    private final String longText = Fixtures.records().stream()
            .filter(r -> r.get("kind").asText().equals("long_document")).findFirst().orElseThrow()
            .get("text").asText();
    private final String shortText = "Paris is the <mask> of France.";

    @Test
    void windowsCoverTheDocumentWithTheStrideAsOverlap() {
        int max = 128;
        int stride = 32;
        int[] plain = tokenizer.encode(longText, false).ids();
        BatchEncoding batch = tokenizer.encodeBatch(List.of(TextInput.of(shortText), TextInput.of(longText)),
                BatchOptions.defaults().withTruncation(Truncation.windows(max, stride)));
        assertEquals(0, batch.sampleIndex(0));
        int room = max - 2;
        int expectedWindows = 1 + (int) Math.ceil((plain.length - room) / (double) (room - stride));
        assertEquals(1 + expectedWindows, batch.size());
        int covered = 0;
        for (int w = 1; w < batch.size(); w++) {
            Encoding e = batch.get(w);
            assertEquals(1, batch.sampleIndex(w));
            assertTrue(e.length() <= max);
            assertEquals(0, e.id(0));
            assertEquals(2, e.id(e.length() - 1));
            int[] inner = Arrays.copyOfRange(e.ids(), 1, e.length() - 1);
            int from = (w - 1) * (room - stride);
            assertArrayEquals(Arrays.copyOfRange(plain, from, from + inner.length), inner, "window " + w);
            covered = from + inner.length;
        }
        assertEquals(plain.length, covered);
    }

    @Test
    void onlySecondKeepsTheFirstWholeInEveryWindow() {
        BatchEncoding batch = tokenizer.encodeBatch(List.of(TextInput.of(shortText, longText)),
                BatchOptions.defaults().withTruncation(new Truncation(TruncationStrategy.ONLY_SECOND, 64, 8, true)));
        int[] first = tokenizer.encode(shortText, false).ids();
        assertTrue(batch.size() > 1);
        for (Encoding e : batch.encodings()) {
            assertTrue(e.length() <= 64);
            assertArrayEquals(first, Arrays.copyOfRange(e.ids(), 1, 1 + first.length));
            assertEquals(-1, e.sequenceId(1 + first.length));
            assertEquals(1, e.sequenceId(first.length + 3));
        }
    }

    @Test
    void onlyFirstCutsOnlyTheText() {
        Encoding e = tokenizer.encodeBatch(List.of(TextInput.of(longText, shortText)),
                BatchOptions.defaults().withTruncation(new Truncation(TruncationStrategy.ONLY_FIRST, 40, 0, false))).get(0);
        int[] second = tokenizer.encode(shortText, false).ids();
        assertEquals(40, e.length());
        assertArrayEquals(second, Arrays.copyOfRange(e.ids(), 40 - 1 - second.length, 39));
    }

    @Test
    void paddingLongestMaxLengthMultipleAndLeft() {
        List<TextInput> inputs = List.of(TextInput.of("a b c d e f g"), TextInput.of("hello"));
        BatchEncoding longest = tokenizer.encodeBatch(inputs, BatchOptions.defaults().withPadding(Padding.longest()));
        int n = tokenizer.encode("a b c d e f g").length();
        assertEquals(n, longest.get(1).length());
        int real = tokenizer.encode("hello").length();
        assertEquals(real, longest.get(1).realLength());
        int[] mask = longest.get(1).attentionMask();
        for (int i = 0; i < n; i++) {
            assertEquals(i < real ? 1 : 0, mask[i]);
            if (i >= real) {
                assertEquals(tokenizer.padId(), longest.get(1).id(i));
                assertEquals("<pad>", longest.get(1).token(i));
            }
        }
        BatchEncoding multiple = tokenizer.encodeBatch(inputs,
                BatchOptions.defaults().withPadding(Padding.longest().withMultipleOf(8)));
        assertEquals((n + 7) / 8 * 8, multiple.get(0).length());
        BatchEncoding left = tokenizer.encodeBatch(inputs,
                BatchOptions.defaults().withPadding(Padding.toLength(20).onLeft().withPadId(7)));
        Encoding hello = left.get(1);
        assertEquals(20, hello.length());
        assertEquals(7, hello.id(0));
        assertArrayEquals(tokenizer.encode("hello").ids(), Arrays.copyOfRange(hello.ids(), 20 - real, 20));
    }

    @Test
    void invalidTruncationIsReported() {
        assertThrows(LsgException.class, () -> tokenizer.encodeBatch(List.of(TextInput.of(longText)),
                BatchOptions.defaults().withTruncation(Truncation.windows(10, 8))));
        assertThrows(LsgException.class, () -> tokenizer.encodeBatch(List.of(TextInput.of(longText)),
                BatchOptions.defaults().withTruncation(Truncation.longestFirst(1))));
        assertThrows(LsgException.class, () -> tokenizer.encodeBatch(List.of(TextInput.of(longText, longText)),
                BatchOptions.defaults().withTruncation(new Truncation(TruncationStrategy.LONGEST_FIRST, 64, 0, true))));
        assertThrows(LsgException.class, () -> tokenizer.encodeBatch(List.of(TextInput.of(longText, shortText)),
                BatchOptions.defaults().withTruncation(new Truncation(TruncationStrategy.ONLY_FIRST, 10, 0, false))));
    }

    @Test
    void encodingFromManyThreadsGivesTheSameResult() {
        List<String> texts = Fixtures.records().stream().map(r -> r.get("text").asText()).toList();
        List<int[]> expected = new ArrayList<>();
        texts.forEach(t -> expected.add(tokenizer.encode(t).ids()));
        Tokenizer fresh = Tokenizer.load(Fixtures.ROBERTA_BASE);
        IntStream.range(0, texts.size() * 4).parallel().forEach(i -> {
            int k = i % texts.size();
            assertArrayEquals(expected.get(k), fresh.encode(texts.get(k)).ids());
        });
    }
}
