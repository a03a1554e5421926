package org.lsg4j.tokenizer;

import java.util.List;

/**
 * Splits a piece of normalized text into the words the model tokenizes one by one: the
 * pre_tokenizer of tokenizer.json. Words are ranges of a {@link Normalized} text, the piece's own
 * or a rewritten copy (Metaspace turns spaces into ▁), so that offsets still find their way back to
 * the original text. Empty words are never given. {@link ByteLevelPreTokenizer} and
 * {@link Metaspace} have their own files. All are immutable.
 */
interface PreTokenizer {
    /** Receives each word, in order: {@code text[from, to)}, non-empty. */
    interface WordSink {
        void word(Normalized text, int from, int to);
    }

    /** Gives the words of {@code piece[from, to)} (a non-empty range) to {@code sink}, in order. */
    void split(Normalized piece, int from, int to, WordSink sink);

    /**
     * BERT's: whitespace (White_Space) separates words and is dropped; each punctuation char (ASCII
     * punctuation, or general category P in Unicode 9.0.0) is a word of its own.
     */
    record Bert() implements PreTokenizer {
        @Override
        public void split(Normalized piece, int from, int to, WordSink sink) {
            Unicode9 u = Unicode9.get();
            splitOnWhitespace(piece, from, to, sink, cp -> isPunctuation(u, cp));
        }

        private static boolean isPunctuation(Unicode9 u, int cp) {
            if (cp < 0x80) {
                return (cp >= '!' && cp <= '/') || (cp >= ':' && cp <= '@') || (cp >= '[' && cp <= '`')
                        || (cp >= '{' && cp <= '~');
            }
            return u.isPunctuation(cp);
        }
    }

    /** Whitespace (White_Space) separates words and is dropped. */
    record WhitespaceSplit() implements PreTokenizer {
        @Override
        public void split(Normalized piece, int from, int to, WordSink sink) {
            splitOnWhitespace(piece, from, to, sink, cp -> false);
        }
    }

    /**
     * The words of {@code piece[from, to)} between White_Space characters (dropped), with each code
     * point {@code isolated} accepts given as a word of its own.
     */
    private static void splitOnWhitespace(Normalized piece, int from, int to, WordSink sink,
                                          java.util.function.IntPredicate isolated) {
        String text = piece.text();
        int word = from;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean space = CharClasses.isWhiteSpace(cp);
            if (space || isolated.test(cp)) {
                if (word < i) {
                    sink.word(piece, word, i);
                }
                if (!space) {
                    sink.word(piece, i, next);
                }
                word = next;
            }
            i = next;
        }
        if (word < to) {
            sink.word(piece, word, to);
        }
    }

    /** Each pre-tokenizer in turn, the next one splitting every word of the previous one. */
    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public void split(Normalized piece, int from, int to, WordSink sink) {
            splitFrom(0, piece, from, to, sink);
        }

        private void splitFrom(int step, Normalized piece, int from, int to, WordSink sink) {
            if (step == steps.size()) {
                sink.word(piece, from, to);
                return;
            }
            steps.get(step).split(piece, from, to, (text, f, t) -> splitFrom(step + 1, text, f, t, sink));
        }
    }
}
