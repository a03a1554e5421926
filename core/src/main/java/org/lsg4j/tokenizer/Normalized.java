package org.lsg4j.tokenizer;

import java.util.Arrays;

/**
 * A piece of input text after normalization, with the original span of every normalized char: the
 * tokenizers library's {@code NormalizedString}. Offsets of tokens are found by looking up the span
 * of their first and last chars, so a token of lowercased, accent-stripped or NFKC-folded text still
 * points into the string the caller gave.
 *
 * <p>Positions are UTF-16 indices. {@code starts[i]}/{@code ends[i]} is the original span, in the
 * caller's string, of normalized unit {@code i} (both units of a surrogate pair carry the span of
 * their character). The reference keeps one span per UTF-8 byte; every byte of a character carries
 * the same span there too, so the two agree. Without arrays the piece is an unchanged substring
 * ({@code text[i]} is original {@code origin + i}), which costs nothing on the byte-level BPE path.
 *
 * <p>{@link #transform} is the one edit primitive; it follows the reference's {@code transform}
 * rule for what span each new char gets (see there). Immutable.
 */
final class Normalized {
    private final String text;
    private final int[] starts;   // null: identity
    private final int[] ends;
    private final int origin;     // the reference's original_shift: where this piece starts in the original

    private Normalized(String text, int[] starts, int[] ends, int origin) {
        this.text = text;
        this.starts = starts;
        this.ends = ends;
        this.origin = origin;
    }

    /** {@code input[from, to)} as it is. */
    static Normalized of(String input, int from, int to) {
        return new Normalized(input.substring(from, to), null, null, from);
    }

    String text() {
        return text;
    }

    int length() {
        return text.length();
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    /** Where this piece starts in the original (the reference's {@code offsets_original().0}). */
    int origin() {
        return origin;
    }

    /** Where the char starting at normalized index {@code i} (a char boundary) starts in the original. */
    int spanStart(int i) {
        return starts == null ? origin + i : starts[i];
    }

    /** Where the char ending at normalized index {@code e} (a char boundary after {@code 0}) ends in the original. */
    int spanEnd(int e) {
        return ends == null ? origin + e : ends[e - 1];
    }

    /** The per-unit spans: the arrays, or for an unchanged piece each unit's character span. */
    private int[][] unitSpans() {
        if (starts != null) {
            return new int[][] {starts, ends};
        }
        int[] s = new int[text.length()];
        int[] e = new int[text.length()];
        for (int i = 0; i < text.length(); ) {
            int units = Character.charCount(text.codePointAt(i));
            for (int k = 0; k < units; k++) {
                s[i + k] = origin + i;
                e[i + k] = origin + i + units;
            }
            i += units;
        }
        return new int[][] {s, e};
    }

    /**
     * The part {@code [from, to)} of the normalized text, non-empty, with its spans. Its origin is
     * the original start of its first char, as the reference's {@code slice}.
     */
    Normalized slice(int from, int to) {
        if (from == 0 && to == text.length() && (text.isEmpty() || spanStart(0) == origin)) {
            return this;
        }
        String part = text.substring(from, to);
        if (starts == null) {
            return new Normalized(part, null, null, origin + from);
        }
        return new Normalized(part, Arrays.copyOfRange(starts, from, to), Arrays.copyOfRange(ends, from, to),
                starts[from]);
    }

    /**
     * Replaces the whole normalized text by the chars of {@code edit}. Each new char says how it
     * relates to the current chars, read left to right after skipping {@code initialSkip} chars:
     * change 0 replaces the next char and takes its span; change {@code -n} also drops the {@code n}
     * chars after it; change 1 inserts a char that takes the span of the char before the current
     * position (or the empty span at the origin when there is none). Chars never reached are dropped.
     */
    Normalized transform(Edit edit, int initialSkip) {
        int[][] spans = unitSpans();
        int[] oldStarts = spans[0];
        int[] oldEnds = spans[1];
        int pos = 0;
        for (int k = 0; k < initialSkip && pos < text.length(); k++) {
            pos += Character.charCount(text.codePointAt(pos));
        }
        char[] out = new char[edit.size * 2];
        int[] newStarts = new int[out.length];
        int[] newEnds = new int[out.length];
        int n = 0;
        for (int e = 0; e < edit.size; e++) {
            int change = edit.changes[e];
            int start;
            int end;
            if (change > 0) {
                start = pos < 1 ? origin : oldStarts[pos - 1];
                end = pos < 1 ? origin : oldEnds[pos - 1];
            } else {
                if (pos >= text.length()) {
                    throw new IllegalStateException("normalization edit consumes more chars than the text has");
                }
                start = oldStarts[pos];
                end = oldEnds[pos];
                pos += Character.charCount(text.codePointAt(pos));
                for (int k = 0; k < -change && pos < text.length(); k++) {
                    pos += Character.charCount(text.codePointAt(pos));
                }
            }
            int units = Character.toChars(edit.codePoints[e], out, n);
            for (int u = 0; u < units; u++) {
                newStarts[n] = start;
                newEnds[n] = end;
                n++;
            }
        }
        return new Normalized(new String(out, 0, n), Arrays.copyOf(newStarts, n), Arrays.copyOf(newEnds, n), origin);
    }

    /**
     * Replaces each match {@code [matchStarts[k], matchEnds[k])} (in order, not overlapping) by
     * {@code content}; every char of the content takes the span of the last char of its match, as
     * the reference's {@code replace}.
     */
    Normalized replace(int[] matchStarts, int[] matchEnds, int matches, String content) {
        if (matches == 0) {
            return this;
        }
        int[][] spans = unitSpans();
        int[] oldStarts = spans[0];
        int[] oldEnds = spans[1];
        StringBuilder out = new StringBuilder(text.length() + matches * content.length());
        int capacity = text.length() + matches * content.length();
        int[] newStarts = new int[capacity];
        int[] newEnds = new int[capacity];
        int n = 0;
        int done = 0;
        for (int m = 0; m < matches; m++) {
            int kept = matchStarts[m] - done;
            System.arraycopy(oldStarts, done, newStarts, n, kept);
            System.arraycopy(oldEnds, done, newEnds, n, kept);
            n += kept;
            out.append(text, done, matchStarts[m]);
            int last = matchEnds[m] - 1;
            for (int i = 0; i < content.length(); i++) {
                newStarts[n] = oldStarts[last];
                newEnds[n] = oldEnds[last];
                n++;
            }
            out.append(content);
            done = matchEnds[m];
        }
        int kept = text.length() - done;
        System.arraycopy(oldStarts, done, newStarts, n, kept);
        System.arraycopy(oldEnds, done, newEnds, n, kept);
        n += kept;
        out.append(text, done, text.length());
        return new Normalized(out.toString(), Arrays.copyOf(newStarts, n), Arrays.copyOf(newEnds, n), origin);
    }

    /** Each char replaced by {@code map}'s one code point. */
    Normalized map(java.util.function.IntUnaryOperator map) {
        Edit edit = new Edit(text.length());
        boolean changed = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int mapped = map.applyAsInt(cp);
            changed |= mapped != cp;
            edit.add(mapped, 0);
        }
        return changed ? transform(edit, 0) : this;
    }

    /** Only the chars {@code keep} accepts, each keeping its span (the reference's {@code filter}). */
    Normalized filter(java.util.function.IntPredicate keep) {
        Edit edit = new Edit(text.length());
        int removed = 0;
        int removedBefore = 0;
        int last = -1;
        int count = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            count++;
            if (keep.test(cp)) {
                if (last >= 0) {
                    edit.add(last, -removed);
                } else {
                    removedBefore = removed;
                }
                last = cp;
                removed = 0;
            } else {
                removed++;
            }
        }
        if (last >= 0) {
            edit.add(last, -removed);
        }
        return edit.size == count ? this : transform(edit, removedBefore);
    }

    /** {@code s} put before the text, taking the span of the first char (the reference's {@code prepend}). */
    Normalized prepend(String s) {
        if (text.isEmpty()) {
            return this;
        }
        Edit edit = new Edit(text.length() + s.length());
        boolean first = true;
        for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i))) {
            edit.add(s.codePointAt(i), first ? 0 : 1);
            first = false;
        }
        edit.add(text.codePointAt(0), 1);
        for (int i = Character.charCount(text.codePointAt(0)); i < text.length(); ) {
            int cp = text.codePointAt(i);
            edit.add(cp, 0);
            i += Character.charCount(cp);
        }
        return transform(edit, 0);
    }

    /**
     * New chars with their changes, for {@link #transform}. Code points are whole characters (the
     * normalized text never holds lone surrogates: the encoder replaces them first).
     */
    static final class Edit {
        int[] codePoints;
        int[] changes;
        int size;

        Edit(int capacity) {
            codePoints = new int[Math.max(4, capacity)];
            changes = new int[codePoints.length];
        }

        void add(int codePoint, int change) {
            if (size == codePoints.length) {
                codePoints = Arrays.copyOf(codePoints, size * 2);
                changes = Arrays.copyOf(changes, size * 2);
            }
            codePoints[size] = codePoint;
            changes[size] = change;
            size++;
        }

        /** Adds {@code delta} to the change of the last char, if there is one. */
        void addToLastChange(int delta) {
            if (size > 0) {
                changes[size - 1] += delta;
            }
        }
    }
}
