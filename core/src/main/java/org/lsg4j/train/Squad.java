package org.lsg4j.train;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SQuAD's answer scores (the v1.1 evaluation script): both texts are normalised (lower case,
 * ASCII punctuation removed, the articles a, an, the removed, whitespace collapsed); exact match is
 * equality of the normalised texts, F1 the overlap of their words as bags; each prediction takes
 * its best score over the gold answers, and the totals are percentages. An empty answer ("no
 * answer") scores F1 1 against an empty gold answer and 0 against any other, as SQuAD 2.0 scores it.
 */
final class Squad {
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private Squad() {
    }

    /** Exact match and F1, each from 0 to 100. */
    record Scores(double exactMatch, double f1) {
    }

    /**
     * @param predicted one answer per question
     * @param gold      the gold answers of each question; a question without any counts as "" (no answer)
     */
    static Scores score(List<String> predicted, List<List<String>> gold) {
        double em = 0;
        double f1 = 0;
        for (int i = 0; i < predicted.size(); i++) {
            List<String> answers = gold.get(i).isEmpty() ? List.of("") : gold.get(i);
            double bestEm = 0;
            double bestF1 = 0;
            for (String a : answers) {
                bestEm = Math.max(bestEm, normalize(predicted.get(i)).equals(normalize(a)) ? 1 : 0);
                bestF1 = Math.max(bestF1, f1(predicted.get(i), a));
            }
            em += bestEm;
            f1 += bestF1;
        }
        int n = predicted.size();
        return new Scores(n == 0 ? 0 : 100 * em / n, n == 0 ? 0 : 100 * f1 / n);
    }

    static String normalize(String s) {
        StringBuilder kept = new StringBuilder();
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            if (PUNCTUATION.indexOf(c) < 0) {
                kept.append(c);
            }
        }
        String noArticles = ARTICLES.matcher(kept).replaceAll(" ");
        return String.join(" ", words(noArticles));
    }

    private static List<String> words(String s) {
        String trimmed = s.strip();
        return trimmed.isEmpty() ? List.of() : List.of(SPACES.split(trimmed));
    }

    /** The word-overlap F1 of two answers (0 to 1). */
    static double f1(String prediction, String gold) {
        List<String> p = words(normalize(prediction));
        List<String> g = words(normalize(gold));
        Map<String, Integer> counts = new HashMap<>();
        for (String w : g) {
            counts.merge(w, 1, Integer::sum);
        }
        if (p.isEmpty() || g.isEmpty()) {
            return p.isEmpty() && g.isEmpty() ? 1 : 0;   // no answer (SQuAD 2.0's rule; v1.1 has no empty gold)
        }
        int same = 0;
        for (String w : p) {
            Integer left = counts.get(w);
            if (left != null && left > 0) {
                same++;
                counts.put(w, left - 1);
            }
        }
        if (same == 0) {
            return 0;
        }
        double precision = (double) same / p.size();
        double recall = (double) same / g.size();
        return 2 * precision * recall / (precision + recall);
    }
}
