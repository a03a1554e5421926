package org.lsg4j.tokenizer;

/**
 * Encodes one string without special tokens, in the reference's order: added tokens that are not
 * normalized are found in the original text; each gap is normalized and searched for the
 * normalized added tokens; the text between those is pre-tokenized into words; the model cuts
 * each word into tokens. Every token's offsets are the original span of its first and last
 * normalized chars. Each added token and each pre-tokenizer word is one word id.
 *
 * <p>Offsets follow the reference in UTF-16 units instead of code points. A lone surrogate is read
 * as U+FFFD (one unit, so offsets do not move): replaced up front, except on the byte-level BPE
 * path without a normalizer, whose pre-tokenizer and model read it so themselves (saving a pass). With {@code trimOffsets} (RobertaProcessing's
 * trim_offsets), leading and trailing characters of a token string that are {@code Ġ} or
 * White_Space are left out of its span, so {@code Ġworld} starts at the {@code w} and a token that
 * is only spaces becomes empty at its end; the whitespace a {@code <mask>} swallows by lstrip
 * stays in its token string but not in its offsets. Immutable and thread-safe.
 */
final class SequenceEncoder {
    private final AddedTokenSplitter rawTokens;
    private final AddedTokenSplitter normalizedTokens;
    private final Normalizer normalizer;      // null: none
    private final PreTokenizer preTokenizer;  // null: each piece is one word
    private final Model model;
    private final boolean trimOffsets;
    private final boolean byteLevelOnly;   // no normalizer, byte-level words: lone surrogates are read where met

    SequenceEncoder(AddedTokenSplitter rawTokens, AddedTokenSplitter normalizedTokens, Normalizer normalizer,
                    PreTokenizer preTokenizer, Model model, boolean trimOffsets) {
        this.rawTokens = rawTokens;
        this.normalizedTokens = normalizedTokens;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.trimOffsets = trimOffsets;
        this.byteLevelOnly = normalizer == null && preTokenizer instanceof ByteLevelPreTokenizer;
    }

    /** The tokens of {@code input} as an encoding of input 0, type 0, without special tokens. */
    Encoding encode(String input) {
        String text = byteLevelOnly ? input : TextChars.withoutLoneSurrogates(input);
        Run run = new Run(new Encoding.Builder(text.length() / 3 + 4));
        for (AddedTokenSplitter.Segment s : rawTokens.split(text, 0, text.length())) {
            if (s.token() != null) {
                run.add(s.token().id(), text.substring(s.start(), s.end()), s.start(), s.end());
                run.word++;
                continue;
            }
            if (s.start() == s.end()) {
                continue;
            }
            Normalized n = Normalized.of(text, s.start(), s.end());
            if (normalizer != null) {
                n = normalizer.normalize(n);
            }
            if (n.isEmpty()) {
                continue;
            }
            String normalized = n.text();
            for (AddedTokenSplitter.Segment p : normalizedTokens.split(normalized, 0, normalized.length())) {
                if (p.token() != null) {
                    run.add(p.token().id(), normalized.substring(p.start(), p.end()),
                            n.spanStart(p.start()), n.spanEnd(p.end()));
                    run.word++;
                } else if (p.start() < p.end()) {
                    if (preTokenizer == null) {
                        run.word(n, p.start(), p.end());
                    } else {
                        preTokenizer.split(n, p.start(), p.end(), run);
                    }
                }
            }
        }
        return run.out.build();
    }

    /** One call's state: the tokens so far and the word counter; receives words and their tokens. */
    private final class Run implements PreTokenizer.WordSink, Model.TokenSink {
        final Encoding.Builder out;
        int word;
        private Normalized current;

        Run(Encoding.Builder out) {
            this.out = out;
        }

        @Override
        public void word(Normalized text, int from, int to) {
            current = text;
            model.tokenize(text.text(), from, to, this);
            word++;
        }

        @Override
        public void token(int id, String value, int start, int end) {
            add(id, value, current.spanStart(start), current.spanEnd(end));
        }

        void add(int id, String value, int start, int end) {
            if (!trimOffsets) {
                out.token(id, value, start, end, word);
                return;
            }
            int leading = 0;
            while (leading < value.length() && isSpace(value.charAt(leading))) {
                leading++;
            }
            int trailing = 0;
            while (trailing < value.length() && isSpace(value.charAt(value.length() - 1 - trailing))) {
                trailing++;
            }
            int s = Math.min(start + leading, end);
            int e = trailing > 0 && end >= trailing ? Math.max(end - trailing, s) : end;
            out.token(id, value, s, e, word);
        }
    }

    private static boolean isSpace(char c) {
        return c == ByteLevelAlphabet.SPACE || CharClasses.isWhiteSpace(c);
    }
}
