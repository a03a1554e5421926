package org.lsg4j.pipelines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.Encoding;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on the token-classification fixture models (64 tokens at most) with a tiny
 * byte-level tokenizer: the pipeline's logits are the model's on the same ids, offsets map back
 * to the text, and texts longer than the model go through overlapping windows.
 */
class TokenClassificationPipelineTest {
    private static final String SHORT = "The cat is sitting on the mat.";
    private static final String LONG = "Paris is the capital of France, and the Seine runs there. "
            + "The city has parks, bridges and a great cathedral; in spring the streets are green. "
            + "Trains reach it from every region at all hours.";

    @TempDir
    Path tokenizerDir;

    private TokenClassificationPipeline pipeline(String fixture) {
        return new TokenClassificationPipeline(TinyTokenizerFolder.taskModel(fixture, Head.TOKEN_CLASSIFICATION, tokenizerDir));
    }

    @Test
    void logitsAreTheModelsOnTheSameIds() {
        TaskModel m = TinyTokenizerFolder.taskModel("lsh-f2-tokcls", Head.TOKEN_CLASSIFICATION, tokenizerDir);
        TokenClassificationPipeline p = new TokenClassificationPipeline(m);
        for (Encoding window : p.windows(LONG, -1)) {
            long[] ids = new long[window.length()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = window.id(i);
            }
            float[] direct = m.model().forward(ModelInputs.of(new LongTensor(new int[] {1, ids.length}, ids)))
                    .get("logits").data();
            float[] viaPipeline = p.logits(List.of(window), 1).get(0);
            assertEquals(direct.length, viaPipeline.length);
            for (int i = 0; i < direct.length; i++) {
                assertEquals(direct[i], viaPipeline[i], 2e-5, "logit " + i);
            }
        }
    }

    @Test
    void noneGivesEveryTokenWithItsArgmaxLabelAndOffsets() {
        TaskModel m = TinyTokenizerFolder.taskModel("lsh-f2-tokcls", Head.TOKEN_CLASSIFICATION, tokenizerDir);
        TokenClassificationPipeline p = new TokenClassificationPipeline(m);
        List<Entity> entities = p.run(SHORT, TokenClassificationOptions.defaults().withIgnoreLabels(List.of()));
        Encoding input = p.windows(SHORT, -1).get(0);
        float[] logits = p.logits(List.of(input), 1).get(0);
        assertEquals(input.length() - 2, entities.size());
        for (Entity e : entities) {
            TokenEntity t = (TokenEntity) e;
            int best = 0;
            for (int l = 1; l < 5; l++) {
                best = logits[t.index() * 5 + l] > logits[t.index() * 5 + best] ? l : best;
            }
            assertEquals("LABEL_" + best, t.entity());
            assertEquals(input.token(t.index()), t.word());
            assertEquals(m.tokenizer().decode(new int[] {input.id(t.index())}, false).strip(), SHORT.substring(t.start(), t.end()));
            assertTrue(t.score() > 0.2f && t.score() <= 1f, "a max over 5 labels");
        }
        List<Entity> ignored = p.run(SHORT, TokenClassificationOptions.defaults().withIgnoreLabels(List.of("LABEL_" + 0)));
        assertEquals(entities.stream().filter(e -> !e.label().equals("LABEL_0")).toList(), ignored);
    }

    @Test
    void longTextsGoThroughOverlappingWindows() {
        TokenClassificationPipeline p = pipeline("lsh-f2-tokcls");
        List<Encoding> windows = p.windows(LONG, 10);
        assertTrue(windows.size() > 2, "windows: " + windows.size());
        for (int w = 0; w < windows.size(); w++) {
            Encoding cur = windows.get(w);
            assertTrue(cur.length() <= 64);
            if (w > 0) {
                Encoding prev = windows.get(w - 1);
                int overlapStart = prev.start(prev.length() - 1 - 10);
                assertEquals(overlapStart, cur.start(1), "window " + w + " starts 10 tokens before the previous end");
            }
        }
        int tokens = TinyTokenizerFolder.create(tokenizerDir).encode(LONG, false).length();
        List<Entity> all = p.run(LONG, TokenClassificationOptions.defaults().withIgnoreLabels(List.of()).withStride(10));
        assertEquals(tokens, all.size(), "one entity per token after merging the windows");
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).start() >= all.get(i - 1).end(), "sorted, no overlap");
        }
    }

    @Test
    void aggregatedGroupsMapBackToTheText() {
        for (String fixture : List.of("lsh-f2-tokcls", "pool-with-global-false-tokcls")) {
            TokenClassificationPipeline p = pipeline(fixture);
            for (AggregationStrategy s : List.of(AggregationStrategy.SIMPLE, AggregationStrategy.FIRST,
                    AggregationStrategy.AVERAGE, AggregationStrategy.MAX)) {
                TokenClassificationOptions options = TokenClassificationOptions.defaults().withAggregation(s)
                        .withIgnoreLabels(List.of());
                String where = fixture + " " + s;
                assertGroupsInText(LONG, p.run(LONG, options), where + " (windows)");
                List<Entity> one = p.run(SHORT, options);
                assertGroupsInText(SHORT, one, where);
                StringBuilder outside = new StringBuilder(SHORT);
                one.forEach(g -> outside.replace(g.start(), g.end(), "#".repeat(g.end() - g.start())));
                assertTrue(outside.toString().matches("[# ]*"), where + ": one window: only spaces outside groups: " + outside);
            }
        }
    }

    private static void assertGroupsInText(String text, List<Entity> groups, String where) {
        assertTrue(!groups.isEmpty(), where);
        for (int i = 0; i < groups.size(); i++) {
            EntityGroup g = (EntityGroup) groups.get(i);
            assertEquals(g.word().strip(), text.substring(g.start(), g.end()).strip(), where + " " + g);
            assertTrue(i == 0 || g.start() >= groups.get(i - 1).end(), where + ": sorted, no overlap");
        }
    }

    @Test
    void aModelWithoutATokenClassificationHeadIsRefused() {
        TaskModel qa = TinyTokenizerFolder.taskModel("stride-f4-qa", Head.QUESTION_ANSWERING, tokenizerDir);
        LsgException e = assertThrows(LsgException.class, () -> new TokenClassificationPipeline(qa));
        assertTrue(e.getMessage().contains("LSGRobertaForTokenClassification")
                && e.getMessage().contains("LSGRobertaForQuestionAnswering"), e.getMessage());
    }
}
