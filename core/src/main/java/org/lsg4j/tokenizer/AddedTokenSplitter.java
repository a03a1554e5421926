package org.lsg4j.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a text into added-token matches and the plain text between them, as one pass of the
 * reference's added vocabulary. The encoder runs two: the tokens that are not {@code normalized}
 * over the original text, then the {@code normalized} ones, by their normalized content, over the
 * normalized text of each gap. The leftmost match wins and, among matches starting at the same
 * place, the longest; the search goes on after a match. {@code single_word} refuses a match that
 * touches a word character ({@code \w}: alphabetic, mark, decimal digit, connector punctuation,
 * join control) and goes on after it. {@code lstrip} extends a match backwards over White_Space
 * (never into the previous match), {@code rstrip} forwards.
 */
final class AddedTokenSplitter {
    /** A piece of the text: an added-token match ({@code token} set) or plain text ({@code token} null). */
    record Segment(int start, int end, AddedToken token) {
    }

    private record Pattern(String text, AddedToken token) {
    }

    private final Map<Character, Pattern[]> byFirstChar;

    /**
     * @param patterns the text to find for each token (its content, or its normalized content);
     *     empty patterns are ignored
     */
    AddedTokenSplitter(Map<AddedToken, String> patterns) {
        Map<Character, List<Pattern>> lists = new HashMap<>();
        patterns.forEach((token, text) -> {
            if (!text.isEmpty()) {
                lists.computeIfAbsent(text.charAt(0), c -> new ArrayList<>()).add(new Pattern(text, token));
            }
        });
        Map<Character, Pattern[]> index = new HashMap<>();
        lists.forEach((c, list) -> index.put(c, list.stream()
                .sorted(Comparator.comparingInt((Pattern p) -> p.text().length()).reversed()
                        .thenComparingInt(p -> p.token().id()))
                .toArray(Pattern[]::new)));
        byFirstChar = Map.copyOf(index);
    }

    /** The segments of {@code text[from, to)}, in order, covering it entirely (one plain segment when nothing matches). */
    List<Segment> split(String text, int from, int to) {
        List<Segment> out = new ArrayList<>();
        int done = from;
        int i = from;
        while (i < to && !byFirstChar.isEmpty()) {
            Pattern p = longestAt(text, i, to, byFirstChar.get(text.charAt(i)));
            if (p == null) {
                i++;
                continue;
            }
            int start = i;
            int end = i + p.text().length();
            if (!standsAlone(p.token(), text, from, to, start, end)) {
                i = end;
                continue;
            }
            if (p.token().lstrip()) {
                while (start > done && CharClasses.isWhiteSpace(text.charAt(start - 1))) {
                    start--;
                }
            }
            if (p.token().rstrip()) {
                while (end < to && CharClasses.isWhiteSpace(text.charAt(end))) {
                    end++;
                }
            }
            if (start > done) {
                out.add(new Segment(done, start, null));
            }
            out.add(new Segment(start, end, p.token()));
            done = end;
            i = end;
        }
        if (done < to || out.isEmpty()) {
            out.add(new Segment(done, to, null));
        }
        return out;
    }

    private static Pattern longestAt(String text, int i, int to, Pattern[] candidates) {
        if (candidates == null) {
            return null;
        }
        for (Pattern p : candidates) {
            if (i + p.text().length() <= to && text.startsWith(p.text(), i)) {
                return p;
            }
        }
        return null;
    }

    private static boolean standsAlone(AddedToken token, String text, int from, int to, int start, int end) {
        if (!token.singleWord()) {
            return true;
        }
        boolean before = start > from && isWordChar(Character.codePointBefore(text, start));
        boolean after = end < to && isWordChar(Character.codePointAt(text, end));
        return !before && !after;
    }

    /** Unicode {@code \w} of the Rust regex crate. */
    private static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.CONNECTOR_PUNCTUATION -> true;
            default -> false;
        };
    }
}
