package org.lsg4j.tokenizer;

import org.lsg4j.LsgException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a tokenizer.json regular expression (a Replace normalizer or decoder) on a text with a
 * budget of character reads linear in the text's length. The pattern comes from the model folder,
 * so it may backtrack exponentially (a {@code (a+)+$} on a long run of {@code a}): java.util.regex
 * has no time limit of its own, so the text it reads counts every read and stops the match with
 * an {@link LsgException} once the budget is spent, rather than hanging.
 */
final class RegexBudget implements CharSequence {
    /** Reads allowed per character of the text, plus a constant: far more than any sane pattern needs. */
    private static final long READS_PER_CHAR = 1000;
    private static final long READS_BASE = 1_000_000;

    private final String text;
    private final Pattern pattern;
    private final long budget;
    private long reads;

    private RegexBudget(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
        this.budget = READS_BASE + READS_PER_CHAR * text.length();
    }

    /** A matcher of {@code pattern} over {@code text} that fails rather than run past its budget. */
    static Matcher matcher(Pattern pattern, String text) {
        return pattern.matcher(new RegexBudget(text, pattern));
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        if (++reads > budget) {
            throw new LsgException("the tokenizer's regular expression /" + LsgException.excerpt(pattern.pattern())
                    + "/ needs more than " + budget + " steps on a text of " + text.length()
                    + " characters (it backtracks catastrophically)");
        }
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
