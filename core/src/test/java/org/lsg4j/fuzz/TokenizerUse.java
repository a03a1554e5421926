package org.lsg4j.fuzz;

import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Tokenizer;
import org.lsg4j.tokenizer.Truncation;

import java.util.List;

/** What the tokenizer-file targets do with a tokenizer that loaded: what the pipelines do with it. */
final class TokenizerUse {
    private static final String TEXT = "Paris is the <mask> of France.  Ünïcödé 東京 🎉 [MASK] don't\t\u00a0x\u0301 a\u200db";

    private TokenizerUse() {
    }

    static void exercise(Tokenizer t) {
        Encoding e = t.encode(TEXT);
        t.encodePair(TEXT, "second", true);
        t.encodeBatch(List.of(TextInput.of(TEXT, "pair")), BatchOptions.defaults().withTruncation(Truncation.longestFirst(8)));
        t.decode(e.ids(), true);
        t.decode(e.ids(), false, true);
        t.maskId();
        t.vocabSize();
        for (int i = 0; i < e.length(); i++) {
            if (e.start(i) < 0 || e.end(i) > TEXT.length() || e.start(i) > e.end(i)) {
                throw new AssertionError("offsets [" + e.start(i) + ", " + e.end(i) + ") of token " + i
                        + " outside the text");
            }
        }
    }
}
