package org.lsg4j.tokenizer;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A step that rewrites the text before pre-tokenization, keeping every char's original span: the
 * normalizers of tokenizer.json. The small ones are here; {@link BertNormalizer} and
 * {@link PrecompiledNormalizer} have their own files. All are immutable.
 */
interface Normalizer {
    Normalized normalize(Normalized n);

    /** Each normalizer in turn. */
    record Sequence(List<Normalizer> steps) implements Normalizer {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public Normalized normalize(Normalized n) {
            Normalized out = n;
            for (Normalizer step : steps) {
                out = step.normalize(out);
            }
            return out;
        }
    }

    /** NFC, NFD, NFKC or NFKD. */
    record Form(UnicodeForms.Form form) implements Normalizer {
        @Override
        public Normalized normalize(Normalized n) {
            return UnicodeForms.apply(n, form);
        }
    }

    /**
     * Rust's {@code char::to_lowercase} of each char: the one-to-one mapping of UnicodeData, and
     * U+0130 (capital I with dot) to "i" + U+0307, the one unconditional many-char lowercase of
     * SpecialCasing. No context: a final capital sigma becomes σ, never ς.
     */
    record Lowercase() implements Normalizer {
        @Override
        public Normalized normalize(Normalized n) {
            return lowercase(n);
        }

        static Normalized lowercase(Normalized n) {
            String text = n.text();
            Normalized.Edit edit = new Normalized.Edit(text.length() + 4);
            boolean changed = false;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                if (cp == 0x130) {
                    edit.add('i', 0);
                    edit.add(0x307, 1);
                    changed = true;
                } else {
                    int lower = Character.toLowerCase(cp);
                    changed |= lower != cp;
                    edit.add(lower, 0);
                }
            }
            return changed ? n.transform(edit, 0) : n;
        }
    }

    /** Removes whitespace (Rust's {@code char::is_whitespace}: White_Space) at the start and/or end. */
    record Strip(boolean left, boolean right) implements Normalizer {
        @Override
        public Normalized normalize(Normalized n) {
            String text = n.text();
            int count = text.codePointCount(0, text.length());
            int leading = 0;
            int i = 0;
            while (left && i < text.length() && CharClasses.isWhiteSpace(text.codePointAt(i))) {
                leading++;
                i += Character.charCount(text.codePointAt(i));
            }
            int trailing = 0;
            int j = text.length();
            while (right && j > 0 && CharClasses.isWhiteSpace(text.codePointBefore(j))) {
                trailing++;
                j -= Character.charCount(text.codePointBefore(j));
            }
            if (leading == 0 && trailing == 0) {
                return n;
            }
            Normalized.Edit edit = new Normalized.Edit(text.length());
            int k = 0;
            for (int p = 0; p < text.length(); k++) {
                int cp = text.codePointAt(p);
                if (k >= leading && k < count - trailing) {
                    edit.add(cp, 0);
                }
                p += Character.charCount(cp);
            }
            return n.transform(edit, leading);
        }
    }

    /** Removes combining marks (general category M, Unicode 9.0.0). */
    record StripAccents() implements Normalizer {
        @Override
        public Normalized normalize(Normalized n) {
            Unicode9 u = Unicode9.get();
            return n.filter(cp -> !u.isCombiningMark(cp));
        }
    }

    /** Every match of a pattern (a literal string, or a regular expression) replaced by {@code content}. */
    record Replace(Pattern pattern, String content) implements Normalizer {
        @Override
        public Normalized normalize(Normalized n) {
            Matcher m = RegexBudget.matcher(pattern, n.text());
            int[] starts = new int[8];
            int[] ends = new int[8];
            int count = 0;
            while (m.find()) {
                if (m.end() == m.start()) {
                    continue;
                }
                if (count == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, count * 2);
                    ends = java.util.Arrays.copyOf(ends, count * 2);
                }
                starts[count] = m.start();
                ends[count] = m.end();
                count++;
            }
            return n.replace(starts, ends, count, content);
        }
    }

    /** {@code prefix} before non-empty text. */
    record Prepend(String prefix) implements Normalizer {
        @Override
        public Normalized normalize(Normalized n) {
            return n.prepend(prefix);
        }
    }

    /** SentencePiece's nmt rules: some control chars removed, some space-like chars made spaces. */
    record Nmt() implements Normalizer {
        @Override
        public Normalized normalize(Normalized n) {
            return n.filter(cp -> !((cp >= 0x01 && cp <= 0x08) || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F)
                            || cp == 0x7F || cp == 0x8F || cp == 0x9F))
                    .map(cp -> switch (cp) {
                        case 0x09, 0x0A, 0x0C, 0x0D, 0x1680, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029,
                             0x2581, 0xFEFF, 0xFFFD -> ' ';
                        default -> cp;
                    });
        }
    }
}
