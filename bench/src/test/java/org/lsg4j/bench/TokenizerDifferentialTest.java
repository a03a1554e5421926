package org.lsg4j.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import org.junit.jupiter.api.Test;
import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Tokenizer;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Truncation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * lsg4j's tokenizer against the Rust Hugging Face tokenizers (through DJL, a bench-only
 * dependency) on seeded random strings built from the pieces that make tokenization hard: words,
 * contractions, numbers, punctuation, every kind of Unicode whitespace, special tokens written in
 * the text, CJK, emoji, combining marks, control characters and random code points. Ids must be
 * identical, offsets equal after converting the reference's code-point offsets to String indices,
 * word ids identical, and decoding (with and without special tokens) identical. A third of the
 * inputs are pairs.
 */
class TokenizerDifferentialTest {
    private static final Path TOKENIZER = Path.of(System.getProperty("lsg.shared", "../shared"), "tokenizers", "roberta-base");
    private static final String[] PIECES = {
            "the", "The", " cat", "Hello", "world", "don't", "It'S", "we'll", "I'm", "you've", "'re", "'",
            "2024", "3.14", "1,000", "x86_64", "ï¬", "naïve", "Ġ", "Ċ", "<mask>", "<s>", "</s>", "<pad>", "<unk>",
            "<MASK>", "< mask>", "!", "?!", "...", "—", "«", "»", "\"", "(", ")", "#", "@user", "http://a.b/c?d=e",
            " ", "  ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\u0085", "\u200b", "\u180e", "\u001f",
            "東京", "日本語", "한국어", "中文", "😀", "👨‍👩‍👧", "🇫🇷", "e\u0301", "é", "Ω", "ß", "İ", "ﬁ",
            "مرحبا", "שלום", "नमस्ते", "ไทย", "Привет", "Ελληνικά", "\u0000", "\u0007", "\u007f",
    };

    @Test
    void agreesWithTheRustTokenizerOnRandomStrings() throws IOException {
        Tokenizer lsg4j = Tokenizer.load(TOKENIZER);
        SplittableRandom random = new SplittableRandom(20261125);
        try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.newInstance(TOKENIZER.resolve("tokenizer.json"),
                Map.of("addSpecialTokens", "true"))) {
            for (int n = 0; n < 3000; n++) {
                String text = randomText(random);
                String pair = n % 3 == 0 ? randomText(random) : null;
                Encoding expected = pair == null ? rust.encode(text) : rust.encode(text, pair);
                org.lsg4j.tokenizer.Encoding actual = pair == null ? lsg4j.encode(text) : lsg4j.encodePair(text, pair, true);
                long[] ids = expected.getIds();
                assertArrayEquals(Arrays.stream(ids).mapToInt(Math::toIntExact).toArray(), actual.ids(),
                        () -> "ids of " + escape(text) + (pair == null ? "" : " + " + escape(pair)));
                CharSpan[] spans = expected.getCharTokenSpans();
                for (int i = 0; i < ids.length; i++) {
                    String source = actual.sequenceId(i) == 1 ? pair : text;
                    int start = spans[i] == null ? 0 : source.offsetByCodePoints(0, spans[i].getStart());
                    int end = spans[i] == null ? 0 : source.offsetByCodePoints(0, spans[i].getEnd());
                    final int k = i;
                    assertEquals(start + ":" + end, actual.start(i) + ":" + actual.end(i),
                            () -> "offsets of token " + k + " (" + actual.token(k) + ") in " + escape(text));
                }
                long[] words = expected.getWordIds();
                for (int i = 0; i < ids.length; i++) {
                    final int k = i;
                    assertEquals(words[i], actual.wordId(i), () -> "word id of token " + k + " in " + escape(text));
                }
                for (boolean skip : new boolean[]{false, true}) {
                    assertEquals(rust.decode(ids, skip), lsg4j.decode(actual.ids(), skip, false),
                            () -> "decode of " + escape(text));
                }
            }
        }
    }

    /** longest_first truncation of pairs and single texts, odd and even budgets. */
    @Test
    void truncatesAsTheRustTokenizer() throws IOException {
        Tokenizer lsg4j = Tokenizer.load(TOKENIZER);
        SplittableRandom random = new SplittableRandom(7);
        for (int max : new int[]{7, 8, 13, 16}) {
            try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.newInstance(TOKENIZER.resolve("tokenizer.json"),
                    Map.of("addSpecialTokens", "true", "truncation", "LONGEST_FIRST", "maxLength", Integer.toString(max)))) {
                for (int n = 0; n < 300; n++) {
                    String text = randomText(random);
                    String pair = n % 2 == 0 ? randomText(random) : null;
                    long[] expected = (pair == null ? rust.encode(text) : rust.encode(text, pair)).getIds();
                    TextInput input = pair == null ? TextInput.of(text) : TextInput.of(text, pair);
                    int[] actual = lsg4j.encodeBatch(List.of(input),
                            BatchOptions.defaults().withTruncation(Truncation.longestFirst(max))).get(0).ids();
                    assertArrayEquals(Arrays.stream(expected).mapToInt(Math::toIntExact).toArray(), actual,
                            () -> "max " + max + ": " + escape(text) + (pair == null ? "" : " + " + escape(pair)));
                }
            }
        }
    }

    private static String randomText(SplittableRandom random) {
        StringBuilder b = new StringBuilder();
        int parts = 1 + random.nextInt(12);
        for (int p = 0; p < parts; p++) {
            if (random.nextInt(8) == 0) {
                int cp;
                do {
                    cp = random.nextInt(4) == 0 ? random.nextInt(0x110000) : random.nextInt(0x3000);
                } while (Character.getType(cp) == Character.SURROGATE || Character.getType(cp) == Character.UNASSIGNED);
                b.appendCodePoint(cp);
            } else {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        return b.toString();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> b.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp) : String.format("\\u{%x}", cp)));
        return b.append('"').toString();
    }
}
