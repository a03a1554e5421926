package org.lsg4j.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Entity-level scores of token classification as seqeval computes them by default (its
 * conlleval-compatible mode, which Hugging Face's run_ner.py reports): the tags of every sequence
 * are read as chunks with a prefix ({@code B-}, {@code I-}, {@code E-}, {@code S-}) and a type, a
 * chunk also starts where the type changes or an {@code I-} follows {@code O} (lenient IOB2), and a
 * predicted entity counts when its type, first and last word equal a gold one. Micro precision,
 * recall and F1 over the entities of all sequences, and the word-level accuracy.
 */
final class Seqeval {
    private Seqeval() {
    }

    /** An entity: its type and its first and last word, counted over the sequences laid end to end. */
    record Entity(String type, int first, int last) {
    }

    /** Precision, recall, F1 and accuracy. */
    record Scores(double precision, double recall, double f1, double accuracy) {
    }

    static Scores score(List<List<String>> gold, List<List<String>> predicted) {
        Set<Entity> g = new HashSet<>(entities(gold));
        Set<Entity> p = new HashSet<>(entities(predicted));
        int correct = 0;
        for (Entity e : p) {
            correct += g.contains(e) ? 1 : 0;
        }
        double precision = p.isEmpty() ? 0 : (double) correct / p.size();
        double recall = g.isEmpty() ? 0 : (double) correct / g.size();
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        int words = 0;
        int right = 0;
        for (int s = 0; s < gold.size(); s++) {
            for (int i = 0; i < gold.get(s).size(); i++) {
                words++;
                right += gold.get(s).get(i).equals(predicted.get(s).get(i)) ? 1 : 0;
            }
        }
        return new Scores(precision, recall, f1, words == 0 ? 0 : (double) right / words);
    }

    /** The entities of the sequences, read as one sequence with an {@code O} after each. */
    static List<Entity> entities(List<List<String>> sequences) {
        List<String> tags = new ArrayList<>();
        for (List<String> s : sequences) {
            tags.addAll(s);
            tags.add("O");
        }
        tags.add("O");
        List<Entity> out = new ArrayList<>();
        char prevTag = 'O';
        String prevType = "";
        int begin = 0;
        for (int i = 0; i < tags.size(); i++) {
            String chunk = tags.get(i);
            char tag = chunk.isEmpty() ? 'O' : chunk.charAt(0);
            String rest = chunk.isEmpty() ? "" : chunk.substring(1);
            int dash = rest.indexOf('-');
            String type = dash >= 0 ? rest.substring(dash + 1) : rest;
            type = type.isEmpty() ? "_" : type;
            if (ends(prevTag, tag, !prevType.equals(type))) {
                out.add(new Entity(prevType, begin, i - 1));
            }
            if (starts(prevTag, tag, !prevType.equals(type))) {
                begin = i;
            }
            prevTag = tag;
            prevType = type;
        }
        return out;
    }

    /** Whether a chunk ended before this tag. */
    private static boolean ends(char prev, char tag, boolean typeChanged) {
        boolean inside = prev == 'B' || prev == 'I';
        return prev == 'E' || prev == 'S'
                || inside && (tag == 'B' || tag == 'S' || tag == 'O')
                || prev != 'O' && prev != '.' && typeChanged;
    }

    /** Whether a chunk starts at this tag. */
    private static boolean starts(char prev, char tag, boolean typeChanged) {
        boolean continuing = tag == 'E' || tag == 'I';
        return tag == 'B' || tag == 'S'
                || continuing && (prev == 'E' || prev == 'S' || prev == 'O')
                || tag != 'O' && tag != '.' && typeChanged;
    }
}
