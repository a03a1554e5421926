package org.lsg4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns token strings back into text: the decoder of tokenizer.json. As in the reference, each
 * decoder maps the list of token strings to a new list ({@link #decodeChain}), so that decoders can
 * be chained, and the text is the concatenation of the last list. {@link ByteLevelDecoder} and
 * {@link Metaspace} have their own files. All are immutable.
 */
interface Decoder {
    List<String> decodeChain(List<String> tokens);

    default String decode(List<String> tokens) {
        return String.join("", decodeChain(tokens));
    }

    /**
     * transformers' clean_up_tokenization (not a decoder of tokenizer.json: the
     * clean_up_tokenization_spaces setting applies it after decoding): removes the space the old
     * word-level tokenizers put before punctuation and English contractions ({@code " ."} becomes
     * {@code "."}, {@code " n't"} becomes {@code "n't"}, {@code " ' "} becomes {@code "'"}, …).
     */
    static String cleanUpTokenization(String text) {
        String out = text;
        for (String[] rule : CleanUp.TRANSFORMERS) {
            out = out.replace(rule[0], rule[1]);
        }
        return out;
    }

    /** The replacement lists, applied in order (" ' " goes before the contractions). */
    final class CleanUp {
        static final String[][] TRANSFORMERS = {
            {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
            {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"},
        };
        static final String[][] WORD_PIECE = {
            {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
            {" n't", "n't"}, {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"},
        };

        private CleanUp() {
        }
    }

    /**
     * WordPiece's: a token that starts with the prefix loses it, any other token but the first gets
     * a space in front; with {@code cleanup}, each token (not the whole text) then gets the
     * reference's clean-up replacements.
     */
    record WordPiece(String prefix, boolean cleanup) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                if (i != 0) {
                    token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
                }
                if (cleanup) {
                    for (String[] rule : CleanUp.WORD_PIECE) {
                        token = token.replace(rule[0], rule[1]);
                    }
                }
                out.add(token);
            }
            return out;
        }
    }

    /**
     * Runs of {@code <0xHH>} byte tokens become the text of those bytes when they are valid UTF-8,
     * else one U+FFFD per byte.
     */
    record ByteFallback() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (String token : tokens) {
                int b = byteOf(token);
                if (b >= 0) {
                    bytes.write(b);
                    continue;
                }
                flush(bytes, out);
                out.add(token);
            }
            flush(bytes, out);
            return out;
        }

        private static int byteOf(String token) {
            if (token.length() != 6 || !token.startsWith("<0x") || !token.endsWith(">")) {
                return -1;
            }
            int hi = Character.digit(token.charAt(3), 16);
            int lo = Character.digit(token.charAt(4), 16);
            return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
        }

        private static void flush(java.io.ByteArrayOutputStream bytes, List<String> out) {
            if (bytes.size() == 0) {
                return;
            }
            byte[] b = bytes.toByteArray();
            bytes.reset();
            try {
                out.add(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString());
            } catch (java.nio.charset.CharacterCodingException e) {
                for (int i = 0; i < b.length; i++) {
                    out.add("\uFFFD");
                }
            }
        }
    }

    /** All tokens joined into one. */
    record Fuse() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            return List.of(String.join("", tokens));
        }
    }

    /** Up to {@code start} leading and {@code stop} trailing {@code content} chars removed from each token. */
    record Strip(int content, int start, int stop) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String token : tokens) {
                int[] cps = token.codePoints().toArray();
                int from = 0;
                while (from < Math.min(start, cps.length) && cps[from] == content) {
                    from++;
                }
                int to = cps.length;
                for (int i = 0; i < stop && to > from && cps[to - 1] == content; i++) {
                    to--;
                }
                out.add(new String(cps, from, to - from));
            }
            return out;
        }
    }

    /** Every match of a pattern in each token replaced by {@code content}. */
    record Replace(Pattern pattern, String content) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String token : tokens) {
                out.add(RegexBudget.matcher(pattern, token).replaceAll(Matcher.quoteReplacement(content)));
            }
            return out;
        }
    }

    /** Each decoder in turn. */
    record Sequence(List<Decoder> steps) implements Decoder {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = tokens;
            for (Decoder d : steps) {
                out = d.decodeChain(out);
            }
            return out;
        }
    }
}
