package org.lsg4j.pipelines;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The post-processing of token classification, with the rules of Hugging Face's pipeline: tokens
 * to words (first, average, max), words or tokens to groups of one label, and the merge of
 * entities found in overlapping windows.
 */
final class EntityAggregator {
    private final List<String> labels;
    private final Function<int[], String> decoder;

    /**
     * @param labels  label names by class index (the model's id2label)
     * @param decoder ids to text, without clean-up (Hugging Face's convert_tokens_to_string)
     */
    EntityAggregator(List<String> labels, Function<int[], String> decoder) {
        this.labels = List.copyOf(labels);
        this.decoder = decoder;
    }

    /** A token or word with its label, before grouping. */
    private record Member(String label, float score, int[] ids, int start, int end) {
    }

    /** The entities of one model input, in text order, before ignore_labels is applied. */
    List<Entity> aggregate(List<TokenPrediction> tokens, AggregationStrategy strategy) {
        return switch (strategy) {
            case NONE -> tokens.stream().<Entity>map(t -> new TokenEntity(labels.get(t.best()),
                    t.scores()[t.best()], t.index(), t.token(), t.start(), t.end())).toList();
            case SIMPLE -> group(tokens.stream().map(t -> new Member(labels.get(t.best()),
                    t.scores()[t.best()], new int[] {t.id()}, t.start(), t.end())).toList());
            case FIRST, AVERAGE, MAX -> group(words(tokens, strategy));
        };
    }

    /** Cuts the tokens into words (a word is a token that is not a subword and the subwords after it). */
    private List<Member> words(List<TokenPrediction> tokens, AggregationStrategy strategy) {
        List<Member> words = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= tokens.size(); i++) {
            if (i == tokens.size() || !tokens.get(i).subword()) {
                if (from < i) {
                    words.add(word(tokens.subList(from, i), strategy));
                }
                from = i;
            }
        }
        return words;
    }

    private Member word(List<TokenPrediction> pieces, AggregationStrategy strategy) {
        float[] scores = switch (strategy) {
            case FIRST -> pieces.get(0).scores();
            case MAX -> pieces.stream().max(Comparator.comparingDouble(p -> p.scores()[p.best()])).orElseThrow().scores();
            case AVERAGE -> meanScores(pieces);
            default -> throw new IllegalArgumentException(strategy + " does not aggregate words");
        };
        int best = TokenPrediction.argmax(scores);
        int[] ids = pieces.stream().mapToInt(TokenPrediction::id).toArray();
        return new Member(labels.get(best), scores[best], ids, pieces.get(0).start(), pieces.get(pieces.size() - 1).end());
    }

    private static float[] meanScores(List<TokenPrediction> pieces) {
        int n = pieces.get(0).scores().length;
        float[] mean = new float[n];
        for (int label = 0; label < n; label++) {
            double sum = 0;
            for (TokenPrediction p : pieces) {
                sum += p.scores()[label];
            }
            mean[label] = (float) (sum / pieces.size());
        }
        return mean;
    }

    /**
     * Groups consecutive members: a member joins the group before it when it has the same tag
     * and does not start with {@code B-} (a label without a B-/I- prefix counts as I-).
     */
    private List<Entity> group(List<Member> members) {
        List<Entity> groups = new ArrayList<>();
        List<Member> current = new ArrayList<>();
        for (Member m : members) {
            if (!current.isEmpty()) {
                Member last = current.get(current.size() - 1);
                if (!(tag(m.label()).equals(tag(last.label())) && !m.label().startsWith("B-"))) {
                    groups.add(groupOf(current));
                    current = new ArrayList<>();
                }
            }
            current.add(m);
        }
        if (!current.isEmpty()) {
            groups.add(groupOf(current));
        }
        return groups;
    }

    private static String tag(String label) {
        return label.startsWith("B-") || label.startsWith("I-") ? label.substring(2) : label;
    }

    private EntityGroup groupOf(List<Member> members) {
        String first = members.get(0).label();
        String name = first.substring(first.indexOf('-') + 1);
        double sum = 0;
        int[] ids = new int[members.stream().mapToInt(m -> m.ids().length).sum()];
        int at = 0;
        for (Member m : members) {
            sum += m.score();
            System.arraycopy(m.ids(), 0, ids, at, m.ids().length);
            at += m.ids().length;
        }
        return new EntityGroup(name, (float) (sum / members.size()), decoder.apply(ids),
                members.get(0).start(), members.get(members.size() - 1).end());
    }

    /**
     * Merges the entities of several overlapping windows: sorted by start, an entity that starts
     * inside the one kept before it replaces it when it is longer, or as long with a higher score;
     * otherwise it is dropped.
     */
    static List<Entity> mergeOverlapping(List<Entity> entities) {
        if (entities.isEmpty()) {
            return entities;
        }
        List<Entity> sorted = entities.stream().sorted(Comparator.comparingInt(Entity::start)).toList();
        List<Entity> merged = new ArrayList<>();
        Entity kept = sorted.get(0);
        for (Entity e : sorted) {
            if (kept.start() <= e.start() && e.start() < kept.end()) {
                int length = e.end() - e.start();
                int keptLength = kept.end() - kept.start();
                if (length > keptLength || (length == keptLength && e.score() > kept.score())) {
                    kept = e;
                }
            } else {
                merged.add(kept);
                kept = e;
            }
        }
        merged.add(kept);
        return merged;
    }
}
