package org.lsg4j.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Tokenizer;
import org.lsg4j.tokenizer.Truncation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * lsg4j against the Rust Hugging Face tokenizers (through DJL, a bench-only dependency) on one
 * tokenizer.json: for seeded random texts and pairs, with and without special tokens, the ids,
 * token strings, offsets (the reference's code point offsets turned into String indices), token
 * type ids, word ids, sequence ids and decoded text (with and without special tokens) must be
 * identical; and so must longest-first truncation at odd and even budgets. Every difference is
 * collected; the test fails listing the first ones and the count.
 */
final class Differential {
    private static final int[] BUDGETS = {5, 8, 13, 16, 31};
    private static final int SHOWN = 15;

    private final Tokenizer lsg4j;
    private final Path file;
    private final RandomTexts texts;
    private final List<String> failures = new ArrayList<>();
    private int compared;
    private int inputs;

    /**
     * @param dir a folder whose tokenizer.json lsg4j loads (with whatever config files it has)
     * @param file the tokenizer.json the Rust tokenizers loads
     */
    Differential(Path dir, Path file, RandomTexts texts) {
        this.lsg4j = Tokenizer.load(dir);
        this.file = file;
        this.texts = texts;
    }

    Differential(Path dir, RandomTexts texts) {
        this(dir, dir.resolve("tokenizer.json"), texts);
    }

    Tokenizer lsg4j() {
        return lsg4j;
    }

    /** {@code count} random inputs (a third of them pairs), with and without special tokens; then truncation. */
    Differential run(long seed, int count) throws IOException {
        inputs += count;
        SplittableRandom random = new SplittableRandom(seed);
        try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.newInstance(file,
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"))) {
            for (int n = 0; n < count; n++) {
                String text = texts.next(random);
                String pair = n % 3 == 0 ? texts.next(random) : null;
                for (boolean special : new boolean[] {true, false}) {
                    ai.djl.huggingface.tokenizers.Encoding expected = pair == null ? rust.encode(text, special, false)
                            : rust.encode(text, pair, special, false);
                    Encoding actual = pair == null ? lsg4j.encode(text, special) : lsg4j.encodePair(text, pair, special);
                    compare(expected, actual, text, pair, (special ? "" : "no specials, ") + describe(text, pair));
                    for (boolean skip : new boolean[] {false, true}) {
                        String want = rust.decode(expected.getIds(), skip);
                        String got = lsg4j.decode(actual.ids(), skip, false);
                        check(want, got, "decode (skip " + skip + ") of " + describe(text, pair));
                    }
                }
            }
        }
        for (int max : BUDGETS) {
            try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "true",
                    "truncation", "LONGEST_FIRST", "maxLength", Integer.toString(max), "padding", "false"))) {
                for (int n = 0; n < count / 10; n++) {
                    String text = texts.next(random);
                    String pair = n % 2 == 0 ? texts.next(random) : null;
                    TextInput input = pair == null ? TextInput.of(text) : TextInput.of(text, pair);
                    if (max < lsg4j.numSpecialTokens(pair != null) + 1) {
                        continue;
                    }
                    ai.djl.huggingface.tokenizers.Encoding expected = pair == null ? rust.encode(text) : rust.encode(text, pair);
                    Encoding actual = lsg4j.encodeBatch(List.of(input),
                            BatchOptions.defaults().withTruncation(Truncation.longestFirst(max))).get(0);
                    compare(expected, actual, text, pair, "max " + max + ": " + describe(text, pair));
                }
            }
        }
        return this;
    }

    /** Fails unless every comparison agreed (and there were at least 12 per input, as {@link #run} makes). */
    void assertIdentical() {
        org.junit.jupiter.api.Assertions.assertTrue(compared >= 12 * inputs, compared + " comparisons for " + inputs + " inputs");
        assertEquals(List.of(), failures.subList(0, Math.min(SHOWN, failures.size())),
                failures.size() + " differences in " + compared + " comparisons on " + file.getFileName());
    }

    private void compare(ai.djl.huggingface.tokenizers.Encoding expected, Encoding actual, String text, String pair,
                         String what) {
        int before = failures.size();
        check(ints(expected.getIds()), Arrays.toString(actual.ids()), "ids, " + what);
        if (failures.size() > before) {
            return;
        }
        check(Arrays.toString(expected.getTokens()), actual.tokens().toString(), "tokens, " + what);
        check(ints(expected.getTypeIds()), Arrays.toString(actual.typeIds()), "type ids, " + what);
        long[] words = expected.getWordIds();
        long[] sequences = expected.getSequenceIds();
        CharSpan[] spans = expected.getCharTokenSpans();
        StringBuilder want = new StringBuilder();
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < actual.length(); i++) {
            String source = actual.sequenceId(i) == 1 ? pair : text;
            int start = spans[i] == null ? 0 : source.offsetByCodePoints(0, spans[i].getStart());
            int end = spans[i] == null ? 0 : source.offsetByCodePoints(0, spans[i].getEnd());
            want.append(' ').append(start).append(':').append(end).append('/').append(words[i]).append('/').append(sequences[i]);
            got.append(' ').append(actual.start(i)).append(':').append(actual.end(i)).append('/').append(actual.wordId(i))
                    .append('/').append(actual.sequenceId(i));
        }
        check(want.toString(), got.toString(), "offsets/word ids/sequence ids, " + what);
    }

    private void check(String want, String got, String what) {
        compared++;
        if (!want.equals(got)) {
            failures.add(what + ": expected " + RandomTexts.escape(want) + " but got " + RandomTexts.escape(got));
        }
    }

    private static String ints(long[] values) {
        return Arrays.toString(Arrays.stream(values).mapToInt(Math::toIntExact).toArray());
    }

    private static String describe(String text, String pair) {
        return RandomTexts.escape(text) + (pair == null ? "" : " + " + RandomTexts.escape(pair));
    }
}
