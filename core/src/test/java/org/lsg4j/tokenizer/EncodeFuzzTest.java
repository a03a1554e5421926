package org.lsg4j.tokenizer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.lsg4j.fuzz.Fuzzing;

import java.util.Arrays;
import java.util.List;

/**
 * Encoding arbitrary strings with each kind of tokenizer (RoBERTa's byte-level BPE, MiniLM's
 * WordPiece, an XLM-R Unigram), alone, as pairs, truncated and decoded. Besides lsg4j's rule for
 * every target, one more check: a truncated encoding, which reads only a prefix of a long text,
 * equals the first window of the whole text's encoding. That check encodes a document of thousands
 * of characters twice, a hundred times the cost of the rest: one input in {@value #LONG_SHARE} (by
 * its hash, so a saved input replays the same way) runs it on the text repeated into such a
 * document, the others on the text as it is.
 */
class EncodeFuzzTest {
    private static final List<Tokenizer> TOKENIZERS = List.of(Fixtures.robertaBase(),
            TestTokenizers.get(TestTokenizers.MINILM), TestTokenizers.get(TestTokenizers.XLMR));

    private static final int DOC_CHARS = 3000;
    /** One input in this many is repeated into a document of up to DOC_CHARS characters (a power of two). */
    private static final int LONG_SHARE = 128;

    @FuzzTest(maxDuration = "5s")
    void encode(FuzzedDataProvider data) {
        Tokenizer t = TOKENIZERS.get(data.consumeInt(0, TOKENIZERS.size() - 1));
        int maxLength = data.consumeInt(1, 40);
        int repeat = data.consumeInt(1, DOC_CHARS);
        boolean pair = data.consumeBoolean();
        String second = pair ? data.consumeString(200) : null;
        String text = data.consumeRemainingAsString();
        Fuzzing.run(() -> {
            Encoding e = t.encode(text);
            checkOffsets(e, text);
            t.decode(e.ids(), true);
            if (second != null) {
                t.encodePair(text, second, true);
            }
            // long enough for a truncating encode to read a prefix (8 characters a token and twice the
            // 1,024-character margin: about 2,400 for 40 tokens), short enough to stay fast
            boolean longDoc = ((text.hashCode() * 31 + repeat) & (LONG_SHARE - 1)) == 0;
            String doc = text.isEmpty() || !longDoc ? text : text.repeat(Math.min(repeat, DOC_CHARS / text.length() + 1));
            TextInput input = TextInput.of(doc, second);
            Encoding head = t.encodeBatch(List.of(input),
                    BatchOptions.defaults().withTruncation(Truncation.longestFirst(maxLength))).get(0);
            if (second == null && maxLength > t.numSpecialTokens(false)) {
                Encoding window = t.encodeBatch(List.of(input),
                        BatchOptions.defaults().withTruncation(Truncation.windows(maxLength, 0))).get(0);
                if (!Arrays.equals(head.ids(), window.ids())) {
                    throw new AssertionError("the truncated encoding " + Arrays.toString(head.ids())
                            + " differs from the first window of the whole text " + Arrays.toString(window.ids()));
                }
            }
        });
    }

    private static void checkOffsets(Encoding e, String text) {
        for (int i = 0; i < e.length(); i++) {
            if (e.start(i) < 0 || e.end(i) > text.length() || e.start(i) > e.end(i)) {
                throw new AssertionError("offsets [" + e.start(i) + ", " + e.end(i) + ") of token " + i + " outside the text");
            }
        }
    }
}
