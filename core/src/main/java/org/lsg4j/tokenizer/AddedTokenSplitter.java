package org.lsg4j.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a text into added-token matches and the plain text between them, as the reference's added
 * vocabulary does: tokens that are not {@code normalized} are matched first over the whole text,
 * then the normalized ones inside the remaining gaps. In each pass the leftmost match wins and,
 * among matches starting at the same place, the longest. {@code lstrip} extends a match backwards
 * over White_Space (never into the previous match), {@code rstrip} forwards.
 */
final class AddedTokenSplitter {
    /** A piece of the text: an added-token match ({@code token} set) or plain text ({@code token} null). */
    record Segment(int start, int end, AddedToken token) {
    }

    private final Map<Character, AddedToken[]> rawByFirstChar;
    private final Map<Character, AddedToken[]> normalizedByFirstChar;

    AddedTokenSplitter(List<AddedToken> tokens) {
        rawByFirstChar = index(tokens.stream().filter(t -> !t.normalized()).toList());
        normalizedByFirstChar = index(tokens.stream().filter(AddedToken::normalized).toList());
    }

    private static Map<Character, AddedToken[]> index(List<AddedToken> tokens) {
        Map<Character, List<AddedToken>> lists = new HashMap<>();
        for (AddedToken t : tokens) {
            lists.computeIfAbsent(t.content().charAt(0), c -> new ArrayList<>()).add(t);
        }
        Map<Character, AddedToken[]> index = new HashMap<>();
        lists.forEach((c, list) -> index.put(c, list.stream()
                .sorted(Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed())
                .toArray(AddedToken[]::new)));
        return Map.copyOf(index);
    }

    /** The segments of {@code text}, in order, covering it entirely. */
    List<Segment> split(String text) {
        List<Segment> out = new ArrayList<>();
        for (Segment s : splitPass(text, 0, text.length(), rawByFirstChar)) {
            if (s.token() != null) {
                out.add(s);
            } else {
                out.addAll(splitPass(text, s.start(), s.end(), normalizedByFirstChar));
            }
        }
        return out;
    }

    private static List<Segment> splitPass(String text, int from, int to, Map<Character, AddedToken[]> index) {
        List<Segment> out = new ArrayList<>();
        int done = from;
        int i = from;
        while (i < to && !index.isEmpty()) {
            AddedToken token = longestAt(text, i, to, index.get(text.charAt(i)));
            if (token == null || !standsAlone(token, text, from, to, i)) {
                i++;
                continue;
            }
            int start = i;
            int end = i + token.content().length();
            if (token.lstrip()) {
                while (start > done && CharClasses.isWhiteSpace(text.charAt(start - 1))) {
                    start--;
                }
            }
            if (token.rstrip()) {
                while (end < to && CharClasses.isWhiteSpace(text.charAt(end))) {
                    end++;
                }
            }
            if (start > done) {
                out.add(new Segment(done, start, null));
            }
            out.add(new Segment(start, end, token));
            done = end;
            i = end;
        }
        if (done < to || out.isEmpty()) {
            out.add(new Segment(done, to, null));
        }
        return out;
    }

    private static AddedToken longestAt(String text, int i, int to, AddedToken[] candidates) {
        if (candidates == null) {
            return null;
        }
        for (AddedToken t : candidates) {
            String c = t.content();
            if (i + c.length() <= to && text.startsWith(c, i)) {
                return t;
            }
        }
        return null;
    }

    /** The single_word rule: no letter, digit or underscore right before or after the match. */
    private static boolean standsAlone(AddedToken token, String text, int from, int to, int start) {
        if (!token.singleWord()) {
            return true;
        }
        int end = start + token.content().length();
        boolean before = start > from && isWordChar(Character.codePointBefore(text, start));
        boolean after = end < to && isWordChar(Character.codePointAt(text, end));
        return !before && !after;
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '_';
    }
}
