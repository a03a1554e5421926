package org.lsg4j.train;

import org.lsg4j.LsgException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The label names of a classification task, by id: what config.json's id2label and label2id
 * hold. A new head takes the training data's names sorted (numerically when every name is an
 * integer, so that labels 0..n-1 keep their ids), as Hugging Face's example scripts sort them; a
 * checkpoint that already has the head keeps its own.
 */
public record LabelSet(List<String> names) {
    public LabelSet {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new LsgException("a classification task needs at least one label");
        }
    }

    /** The sorted distinct label names of the examples. */
    public static LabelSet of(List<Example> examples) {
        TreeSet<String> seen = new TreeSet<>();
        for (Example e : examples) {
            switch (e) {
                case Example.Text t -> seen.addAll(t.labels());
                case Example.TaggedWords w -> seen.addAll(w.tags());
                default -> {
                }
            }
        }
        List<String> sorted = new ArrayList<>(seen);
        if (sorted.stream().allMatch(LabelSet::isInteger)) {
            sorted.sort(Comparator.comparingLong(Long::parseLong));
        }
        return new LabelSet(sorted);
    }

    private static boolean isInteger(String s) {
        return s.matches("-?\\d{1,18}");
    }

    public int size() {
        return names.size();
    }

    /**
     * The id of a label of an example: its name, or an integer that is an id when the names are
     * not integers themselves (a checkpoint's LABEL_0, LABEL_1 read from data labelled 0, 1).
     */
    public int id(String name, String where) {
        int i = names.indexOf(name);
        if (i >= 0) {
            return i;
        }
        if (isInteger(name) && names.stream().noneMatch(LabelSet::isInteger)) {
            long id = Long.parseLong(name);
            if (id >= 0 && id < names.size()) {
                return (int) id;
            }
        }
        throw new LsgException(where + ": label \"" + name + "\" is not one of the model's labels " + names);
    }

    /**
     * For {@code --label-all-tokens}: the id the later tokens of a word get, the {@code I-} label of
     * a {@code B-} label when there is one (Hugging Face's b_to_i_label), else the same id.
     */
    public int continuation(int id) {
        String name = names.get(id);
        if (name.startsWith("B-")) {
            int i = names.indexOf("I-" + name.substring(2));
            if (i >= 0) {
                return i;
            }
        }
        return id;
    }

    /** config.json's id2label: {@code "0": name}. */
    public Map<String, String> id2label() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(Integer.toString(i), names.get(i));
        }
        return m;
    }

    /** config.json's label2id. */
    public Map<String, Integer> label2id() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        return m;
    }
}
