package org.lsg4j.pipelines;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Aggregation on crafted predictions whose expected entities follow from the behaviour Hugging
 * Face documents for aggregation_strategy (simple: B-/I- grouping with mean scores; first: a
 * word takes its first token's label; average: the label of the mean scores; max: the label of
 * the most confident token) and from its window merge.
 */
class TokenClassificationAggregationTest {
    private static final List<String> LABELS = List.of("O", "B-PER", "I-PER", "B-LOC", "I-LOC");
    private static final String TEXT = "Hello Wolfgang Amadeus lives in New York and Salzburg";

    /** Token strings (byte-level) and decoded pieces; ids are list indices. */
    private static final List<String> TOKENS = List.of("Hello", "ĠWolf", "gang", "ĠAmadeus", "Ġlives", "Ġin",
            "ĠNew", "ĠYork", "Ġand", "ĠSalz", "burg");
    private static final Function<int[], String> DECODER = ids -> {
        StringBuilder s = new StringBuilder();
        for (int id : ids) {
            s.append(TOKENS.get(id).replace('Ġ', ' '));
        }
        return s.toString();
    };
    private static final float[][] SCORES = {
            {0.9f, 0.04f, 0.03f, 0.02f, 0.01f},      // Hello: O
            {0.05f, 0.8f, 0.1f, 0.03f, 0.02f},       // Wolf: B-PER
            {0.1f, 0.05f, 0.35f, 0.05f, 0.45f},      // gang: I-LOC on its own
            {0.1f, 0.1f, 0.7f, 0.05f, 0.05f},        // Amadeus: I-PER
            {0.96f, 0.01f, 0.01f, 0.01f, 0.01f},     // lives: O
            {0.97f, 0.01f, 0.01f, 0.005f, 0.005f},   // in: O
            {0.02f, 0.02f, 0.01f, 0.9f, 0.05f},      // New: B-LOC
            {0.05f, 0.02f, 0.03f, 0.05f, 0.85f},     // York: I-LOC
            {0.95f, 0.01f, 0.02f, 0.01f, 0.01f},     // and: O
            {0.35f, 0.1f, 0.1f, 0.4f, 0.05f},        // Salz: B-LOC
            {0.02f, 0.03f, 0.9f, 0.02f, 0.03f},      // burg: I-PER
    };

    private static List<TokenPrediction> predictions() {
        List<TokenPrediction> out = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < TOKENS.size(); i++) {
            String piece = TOKENS.get(i).replace("Ġ", "");
            int start = TEXT.indexOf(piece, at);
            at = start + piece.length();
            out.add(new TokenPrediction(i + 1, i, TOKENS.get(i), start, at, continuesWord(TEXT, start), SCORES[i]));
        }
        return out;
    }

    /** Hugging Face's rule for byte-level tokens (the tokenizer's isSubword, tested in the tokenizer package). */
    static boolean continuesWord(String text, int start) {
        return start > 0 && text.charAt(start - 1) != ' ' && (start >= text.length() || text.charAt(start) != ' ');
    }

    private static List<Entity> run(AggregationStrategy strategy, List<String> ignore) {
        return new EntityAggregator(LABELS, DECODER).aggregate(predictions(), strategy).stream()
                .filter(e -> !ignore.contains(e.label())).toList();
    }

    private static void assertGroup(Entity e, String label, double score, String word, int start, int end) {
        EntityGroup g = (EntityGroup) e;
        assertEquals(label, g.entityGroup(), "label of " + g);
        assertEquals(score, g.score(), 1e-6, "score of " + g);
        assertEquals(word, g.word());
        assertEquals(start, g.start());
        assertEquals(end, g.end());
        assertEquals(word.strip(), TEXT.substring(start, end), "offsets of " + g);
    }

    @Test
    void subwordsAreTokensNotAfterASpace() {
        List<Boolean> subword = predictions().stream().map(TokenPrediction::subword).toList();
        assertEquals(List.of(false, false, true, false, false, false, false, false, false, false, true), subword);
    }

    @Test
    void noneGivesOneEntityPerTokenWithTheTokenString() {
        List<Entity> all = run(AggregationStrategy.NONE, List.of());
        assertEquals(TOKENS.size(), all.size());
        assertEquals(new TokenEntity("I-LOC", 0.45f, 3, "gang", 10, 14), all.get(2));
        assertEquals(new TokenEntity("B-PER", 0.8f, 2, "ĠWolf", 6, 10), all.get(1));
        List<String> kept = run(AggregationStrategy.NONE, List.of("O")).stream().map(Entity::word).toList();
        assertEquals(List.of("ĠWolf", "gang", "ĠAmadeus", "ĠNew", "ĠYork", "ĠSalz", "burg"), kept);
    }

    @Test
    void simpleGroupsTokensByTag() {
        List<Entity> g = run(AggregationStrategy.SIMPLE, List.of("O"));
        assertEquals(6, g.size(), g.toString());
        assertGroup(g.get(0), "PER", 0.8, " Wolf", 6, 10);
        assertGroup(g.get(1), "LOC", 0.45, "gang", 10, 14);
        assertGroup(g.get(2), "PER", 0.7, " Amadeus", 15, 22);
        assertGroup(g.get(3), "LOC", (0.9 + 0.85) / 2, " New York", 32, 40);
        assertGroup(g.get(4), "LOC", 0.4, " Salz", 45, 49);
        assertGroup(g.get(5), "PER", 0.9, "burg", 49, 53);
    }

    @Test
    void simpleKeepsOGroupsWhenNothingIsIgnored() {
        List<Entity> g = run(AggregationStrategy.SIMPLE, List.of());
        assertGroup(g.get(0), "O", 0.9, "Hello", 0, 5);
        assertGroup(g.get(4), "O", (0.96 + 0.97) / 2, " lives in", 23, 31);
    }

    @Test
    void firstTakesTheFirstTokensLabel() {
        List<Entity> g = run(AggregationStrategy.FIRST, List.of("O"));
        assertEquals(3, g.size(), g.toString());
        assertGroup(g.get(0), "PER", (0.8 + 0.7) / 2, " Wolfgang Amadeus", 6, 22);
        assertGroup(g.get(1), "LOC", (0.9 + 0.85) / 2, " New York", 32, 40);
        assertGroup(g.get(2), "LOC", 0.4, " Salzburg", 45, 53);
    }

    @Test
    void averageTakesTheLabelOfTheMeanScores() {
        List<Entity> g = run(AggregationStrategy.AVERAGE, List.of("O"));
        assertEquals(3, g.size(), g.toString());
        assertGroup(g.get(0), "PER", ((0.8 + 0.05) / 2 + 0.7) / 2, " Wolfgang Amadeus", 6, 22);
        assertGroup(g.get(2), "PER", (0.1 + 0.9) / 2, " Salzburg", 45, 53);
    }

    @Test
    void maxTakesTheMostConfidentToken() {
        List<Entity> g = run(AggregationStrategy.MAX, List.of("O"));
        assertEquals(3, g.size(), g.toString());
        assertGroup(g.get(0), "PER", (0.8 + 0.7) / 2, " Wolfgang Amadeus", 6, 22);
        assertGroup(g.get(2), "PER", 0.9, " Salzburg", 45, 53);
    }

    @Test
    void bStartsAGroupAndUnprefixedLabelsCountAsI() {
        List<String> labels = List.of("B-PER", "PER", "I-PER", "LABEL_0", "x-y-z");
        Map<Integer, String> pieces = Map.of(0, "a", 1, "b", 2, "c", 3, "d", 4, "e");
        EntityAggregator a = new EntityAggregator(labels, ids -> {
            StringBuilder s = new StringBuilder();
            for (int id : ids) {
                s.append(pieces.get(id));
            }
            return s.toString();
        });
        int[] labelOfToken = {0, 0, 1, 2, 3, 3, 4};
        List<TokenPrediction> tokens = new ArrayList<>();
        for (int i = 0; i < labelOfToken.length; i++) {
            float[] scores = new float[labels.size()];
            scores[labelOfToken[i]] = 1f;
            tokens.add(new TokenPrediction(i, Math.min(i, 4), "t", i, i + 1, false, scores));
        }
        List<String> groups = a.aggregate(tokens, AggregationStrategy.SIMPLE).stream()
                .map(e -> e.label() + "[" + e.start() + "," + e.end() + ")").toList();
        assertEquals(List.of("PER[0,1)", "PER[1,4)", "LABEL_0[4,6)", "y-z[6,7)"), groups);
    }

    @Test
    void overlappingWindowsKeepTheLongerOrMoreConfidentEntity() {
        Entity a = new EntityGroup("PER", 0.5f, "x", 0, 5);
        Entity b = new EntityGroup("PER", 0.9f, "x", 0, 5);
        Entity c = new EntityGroup("LOC", 0.1f, "x", 3, 10);
        Entity d = new EntityGroup("LOC", 0.3f, "x", 12, 14);
        Entity e = new EntityGroup("LOC", 0.99f, "x", 12, 13);
        assertEquals(List.of(b), EntityAggregator.mergeOverlapping(List.of(a, b)));
        assertEquals(List.of(c, d), EntityAggregator.mergeOverlapping(List.of(d, a, c, b, e)));
        assertEquals(List.of(), EntityAggregator.mergeOverlapping(List.of()));
    }

    @Test
    void strategiesParseByHuggingFaceName() {
        assertEquals(AggregationStrategy.AVERAGE, AggregationStrategy.parse("average"));
        assertEquals(AggregationStrategy.MAX, AggregationStrategy.parse(" MAX "));
        org.lsg4j.LsgException e = org.junit.jupiter.api.Assertions.assertThrows(org.lsg4j.LsgException.class,
                () -> AggregationStrategy.parse("mean"));
        assertTrue(e.getMessage().contains("none, simple, first, average, max"), e.getMessage());
    }
}
