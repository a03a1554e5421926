package org.lsg4j.pipelines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lsg4j.LsgException;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.model.Head;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.Encoding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multiple choice on the fixture models (40 tokens at most): scores from the reference logits,
 * and end to end with a tiny byte-level tokenizer against the model run on a
 * {@code 1 x choices x tokens} batch built here.
 */
class MultipleChoicePipelineTest {
    private static final String PROMPT = "The cat sat on the";
    private static final List<String> CHOICES = List.of("mat.", "moon, far away.", "it");

    @TempDir
    Path tokenizerDir;

    @ParameterizedTest
    @ValueSource(strings = {"block_stride-f2-mc", "lsh-mc"})
    void scoresAreTheSoftmaxOfTheReferenceLogits(String fixture) {
        try (SafeTensors out = SafeTensors.open(TinyTokenizerFolder.FIXTURES.resolve(fixture).resolve("outputs.safetensors"))) {
            FloatTensor logits = out.floats("logits");
            int c = logits.dim(1);
            for (int r = 0; r < logits.dim(0); r++) {
                float[] row = Arrays.copyOfRange(logits.data(), r * c, (r + 1) * c);
                MultipleChoiceResult result = MultipleChoiceResult.fromLogits(List.of("a", "b", "c"), row);
                double sum = 0;
                for (float x : row) {
                    sum += Math.exp(x);
                }
                int best = 0;
                for (int i = 0; i < c; i++) {
                    assertEquals(Math.exp(row[i]) / sum, result.scores()[i], 1e-6);
                    best = row[i] > row[best] ? i : best;
                }
                assertEquals(best, result.best());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"block_stride-f2-mc", "lsh-mc"})
    void logitsAreTheModelsOnPaddedPairs(String fixture) {
        TaskModel m = TinyTokenizerFolder.taskModel(fixture, Head.MULTIPLE_CHOICE, tokenizerDir);
        MultipleChoicePipeline p = new MultipleChoicePipeline(m, w -> { });
        List<Encoding> pairs = new ArrayList<>();
        CHOICES.forEach(c -> pairs.add(m.tokenizer().encodePair(PROMPT, c, true)));
        int t = pairs.stream().mapToInt(Encoding::length).max().orElseThrow();
        long[] ids = new long[CHOICES.size() * t];
        long[] mask = new long[ids.length];
        Arrays.fill(ids, 1);
        for (int r = 0; r < pairs.size(); r++) {
            for (int i = 0; i < pairs.get(r).length(); i++) {
                ids[r * t + i] = pairs.get(r).id(i);
                mask[r * t + i] = 1;
            }
        }
        int[] shape = {1, CHOICES.size(), t};
        float[] direct = m.model().forward(ModelInputs.of(new LongTensor(shape, ids))
                .withAttentionMask(new LongTensor(shape, mask))).get("logits").data();
        float[] logits = p.logits(PROMPT, CHOICES);
        for (int i = 0; i < direct.length; i++) {
            assertEquals(direct[i], logits[i], 2e-5);
        }
        MultipleChoiceResult result = p.run(PROMPT, CHOICES);
        assertEquals(CHOICES, result.choices());
        double total = 0;
        for (float s : result.scores()) {
            total += s;
        }
        assertEquals(1.0, total, 1e-6);
        assertEquals(MultipleChoiceResult.fromLogits(CHOICES, logits).best(), result.best());
    }

    @Test
    void pairsLongerThanTheModelAreTruncatedWithAWarning() {
        TaskModel m = TinyTokenizerFolder.taskModel("block_stride-f2-mc", Head.MULTIPLE_CHOICE, tokenizerDir);
        List<String> warnings = new ArrayList<>();
        MultipleChoicePipeline p = new MultipleChoicePipeline(m, warnings::add);
        String longPrompt = "A very long prompt that does not fit in forty tokens of a byte-level vocabulary at all.";
        List<Encoding> rows = p.encode(longPrompt, CHOICES);
        rows.forEach(r -> assertTrue(r.length() <= 40, "length " + r.length()));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("truncated to 40"), warnings.get(0));
        assertEquals(3, p.run(longPrompt, CHOICES).scores().length);
        assertEquals(1, p.run("Short", List.of("x")).scores().length);
    }

    @Test
    void badInputsAreClearErrors() {
        TaskModel m = TinyTokenizerFolder.taskModel("block_stride-f2-mc", Head.MULTIPLE_CHOICE, tokenizerDir);
        LsgException none = assertThrows(LsgException.class, () -> new MultipleChoicePipeline(m, w -> { }).run(PROMPT, List.of()));
        assertTrue(none.getMessage().contains("at least one choice"));
        TaskModel qa = TinyTokenizerFolder.taskModel("stride-f4-qa", Head.QUESTION_ANSWERING, tokenizerDir);
        LsgException head = assertThrows(LsgException.class, () -> new MultipleChoicePipeline(qa, w -> { }));
        assertTrue(head.getMessage().contains("LSGRobertaForMultipleChoice"), head.getMessage());
    }
}
