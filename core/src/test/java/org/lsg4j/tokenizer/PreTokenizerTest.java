package org.lsg4j.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written splitter gives the same words as the GPT-2 pattern run by java.util.regex. */
class PreTokenizerTest {
    private static final Pattern GPT2 = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    @Test
    void splitsLikeTheRegex() {
        Random random = new Random(11);
        for (int n = 0; n < 5000; n++) {
            String text = RandomText.valid(random, random.nextInt(40));
            assertEquals(regexWords(text), words(text), () -> PropertyTest.escape(text));
        }
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (!text.isEmpty()) {
            new ByteLevelPreTokenizer().split(Normalized.of(text, 0, text.length()), 0, text.length(),
                    (n, s, e) -> out.add(n.text().substring(s, e)));
        }
        return out;
    }

    private static List<String> regexWords(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = GPT2.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
