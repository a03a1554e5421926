package org.lsg4j.pipelines;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.Encoding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on the stride-f4-qa fixture model (90 tokens at most) with a tiny byte-level
 * tokenizer: the answers are the spans {@link AnswerSpans} picks on the model's own logits for
 * the same ids, map back to the context, and long contexts go through doc_stride windows.
 */
class QuestionAnsweringPipelineTest {
    private static final String QUESTION = "Where is the cat?";
    private static final String SHORT = "The cat is sitting on the mat in Paris.";
    private static final String LONG = "Paris is the capital of France, and the Seine runs there. "
            + "The city has parks, bridges and a great cathedral; in spring the streets are green. "
            + "Trains reach it from every region at all hours, and the cat is asleep on a warm roof.";

    @TempDir
    Path tokenizerDir;
    private TaskModel model;
    private QuestionAnsweringPipeline pipeline;

    @BeforeEach
    void load() {
        model = TinyTokenizerFolder.taskModel("stride-f4-qa", Head.QUESTION_ANSWERING, tokenizerDir);
        pipeline = new QuestionAnsweringPipeline(model);
    }

    /** The best spans of one window from logits computed by the model directly, as answers. */
    private List<Answer> direct(Encoding window, String context, QuestionAnsweringOptions options) {
        long[] ids = new long[window.length()];
        boolean[] inContext = new boolean[window.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = window.id(i);
            inContext[i] = window.sequenceId(i) == 1;
        }
        ModelOutputs out = model.model().forward(ModelInputs.of(new LongTensor(new int[] {1, ids.length}, ids)));
        AnswerSpans.Result r = AnswerSpans.best(out.get("start_logits").data(), out.get("end_logits").data(),
                inContext, options.topK(), options.maxAnswerLen());
        List<Answer> answers = new ArrayList<>();
        for (AnswerSpans.Span s : r.spans()) {
            int start = window.start(s.start());
            int end = window.end(s.end());
            if (options.alignToWords()) {
                start = window.wordToChars(window.wordId(s.start()), 1)[0];
                end = window.wordToChars(window.wordId(s.end()), 1)[1];
            }
            answers.add(new Answer(s.score(), start, end, context.substring(start, end)));
        }
        return answers;
    }

    private static void assertSameAnswers(List<Answer> expected, List<Answer> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).answer(), actual.get(i).answer(), "rank " + i);
            assertEquals(expected.get(i).start(), actual.get(i).start());
            assertEquals(expected.get(i).score(), actual.get(i).score(), 2e-5 * expected.get(i).score());
        }
    }

    @Test
    void answersAreTheBestSpansOfTheModelsLogits() {
        QuestionAnsweringOptions options = QuestionAnsweringOptions.defaults().withTopK(4);
        List<Encoding> windows = pipeline.windows(QUESTION, SHORT, options);
        assertEquals(1, windows.size());
        Encoding w = windows.get(0);
        int q = model.tokenizer().encode(QUESTION, false).length();
        assertEquals(List.of("<s>", "</s>", "</s>", "</s>"), List.of(w.token(0), w.token(q + 1), w.token(q + 2), w.token(w.length() - 1)));
        assertEquals(1, w.sequenceId(q + 3), "the context follows");
        List<Answer> answers = pipeline.run(QUESTION, SHORT, options);
        assertSameAnswers(direct(w, SHORT, options), answers);
        for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            assertEquals(SHORT.substring(a.start(), a.end()), a.answer());
            assertTrue(a.score() > 0 && a.score() <= 1);
            assertTrue(i == 0 || a.score() <= answers.get(i - 1).score(), "highest first");
        }
    }

    @Test
    void longContextsGoThroughDocStrideWindows() {
        QuestionAnsweringOptions options = QuestionAnsweringOptions.defaults().withTopK(5).withDocStride(16);
        List<Encoding> windows = pipeline.windows(QUESTION, LONG, options);
        assertTrue(windows.size() > 2, "windows: " + windows.size());
        int contextStart = model.tokenizer().encode(QUESTION, false).length() + 3;
        List<Answer> pooled = new ArrayList<>();
        for (int k = 0; k < windows.size(); k++) {
            Encoding w = windows.get(k);
            assertTrue(w.length() <= 90);
            assertEquals(pipeline.windows(QUESTION, SHORT, options).get(0).tokens().subList(0, contextStart),
                    w.tokens().subList(0, contextStart),
                    "every window holds the whole question");
            if (k > 0) {
                Encoding prev = windows.get(k - 1);
                assertEquals(prev.start(prev.length() - 1 - 16), w.start(contextStart), "windows overlap by doc_stride tokens");
            }
            pooled.addAll(direct(w, LONG, options));
        }
        pooled.sort((a, b) -> Float.compare(b.score(), a.score()));
        List<Answer> answers = pipeline.run(QUESTION, LONG, options);
        assertSameAnswers(pooled.subList(0, 5), answers);
        answers.forEach(a -> assertEquals(LONG.substring(a.start(), a.end()), a.answer()));
    }

    @Test
    void batchedWindowsGiveTheSameAnswers() {
        QuestionAnsweringOptions options = QuestionAnsweringOptions.defaults().withTopK(3).withDocStride(16);
        List<QuestionContext> inputs = List.of(new QuestionContext(QUESTION, LONG), new QuestionContext(QUESTION, SHORT));
        List<List<Answer>> batched = pipeline.run(inputs, options, 3);
        for (int i = 0; i < inputs.size(); i++) {
            List<Answer> alone = pipeline.run(inputs.get(i).question(), inputs.get(i).context(), options);
            assertEquals(alone.stream().map(Answer::answer).toList(), batched.get(i).stream().map(Answer::answer).toList());
            for (int k = 0; k < alone.size(); k++) {
                assertEquals(alone.get(k).score(), batched.get(i).get(k).score(), 1e-4 * alone.get(k).score(),
                        "padding changes LSG blocks by rounding only");
            }
        }
    }

    @Test
    void maxAnswerLenBoundsTheSpans() {
        QuestionAnsweringOptions options = QuestionAnsweringOptions.defaults().withTopK(50).withMaxAnswerLen(1)
                .withAlignToWords(false);
        Encoding w = pipeline.windows(QUESTION, SHORT, options).get(0);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < w.length(); i++) {
            if (w.sequenceId(i) == 1) {
                tokens.add(w.start(i) + ":" + w.end(i));
            }
        }
        List<Answer> answers = pipeline.run(QUESTION, SHORT, options);
        assertEquals(tokens.size(), answers.size(), "one-token spans: one per context token");
        answers.forEach(a -> assertTrue(tokens.contains(a.start() + ":" + a.end()), a.toString()));
    }

    /** align_to_words widens a span to whole words; without it the span is the tokens' characters. */
    @Test
    void answersAreAlignedToWordsByDefault() {
        QuestionAnsweringOptions options = QuestionAnsweringOptions.defaults().withTopK(20);
        List<Answer> aligned = pipeline.run(QUESTION, SHORT, options);
        List<Answer> tokens = pipeline.run(QUESTION, SHORT, options.withAlignToWords(false));
        assertEquals(tokens.size(), aligned.size());
        boolean widened = false;
        for (int i = 0; i < aligned.size(); i++) {
            Answer a = aligned.get(i);
            Answer t = tokens.get(i);
            assertEquals(t.score(), a.score(), "same spans, same order");
            assertTrue(a.start() <= t.start() && a.end() >= t.end(), a + " contains " + t);
            boolean startsAWord = a.start() == 0 || SHORT.charAt(a.start() - 1) == ' ';
            boolean endsAWord = a.end() == SHORT.length() || !Character.isLetter(SHORT.charAt(a.end()));
            assertTrue(startsAWord && endsAWord, "whole words: " + a);
            widened |= a.start() < t.start() || a.end() > t.end();
        }
        assertTrue(widened, "some token span cuts a word in this example");
    }

    @Test
    void impossibleAnswerCompetesWithTheSmallestNullScore() {
        QuestionAnsweringOptions options = QuestionAnsweringOptions.defaults().withTopK(100_000)
                .withHandleImpossibleAnswer(true).withDocStride(16);
        List<Answer> answers = pipeline.run(QUESTION, LONG, options);
        // Spans of a lone "Ġ" token are empty too (the tiny vocabulary lacks most "Ġx" merges): "no answer" is at 0.
        List<Answer> empty = answers.stream().filter(a -> a.answer().isEmpty() && a.start() == 0).toList();
        assertEquals(1, empty.size(), empty.toString());
        assertEquals(0, empty.get(0).end());
        float smallest = Float.POSITIVE_INFINITY;
        for (Encoding w : pipeline.windows(QUESTION, LONG, options)) {
            long[] ids = new long[w.length()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = w.id(i);
            }
            ModelOutputs out = model.model().forward(ModelInputs.of(new LongTensor(new int[] {1, ids.length}, ids)));
            boolean[] inContext = new boolean[w.length()];
            for (int i = 0; i < inContext.length; i++) {
                inContext[i] = w.sequenceId(i) == 1;
            }
            smallest = Math.min(smallest, AnswerSpans.best(out.get("start_logits").data(), out.get("end_logits").data(),
                    inContext, 1, 15).nullScore());
        }
        assertEquals(smallest, empty.get(0).score(), 2e-5 * smallest);
        assertTrue(pipeline.run(QUESTION, LONG, options.withHandleImpossibleAnswer(false)).stream()
                .noneMatch(a -> a.start() == 0 && a.end() == 0));
    }

    @Test
    void badInputsAreClearErrors() {
        QuestionAnsweringOptions defaults = QuestionAnsweringOptions.defaults();
        assertMessage(() -> pipeline.run("", SHORT, defaults), "the question must not be empty");
        assertMessage(() -> pipeline.run(QUESTION, "", defaults), "the context must not be empty");
        assertMessage(() -> pipeline.run(LONG, SHORT, defaults), "leaves no room for the context");
        assertMessage(() -> pipeline.run(QUESTION, LONG, defaults.withDocStride(80)), "lower doc_stride");
        assertMessage(() -> pipeline.run(QUESTION, SHORT, defaults.withMaxSeqLen(91)), "more than the model takes (90 tokens)");
        assertThrows(IllegalArgumentException.class, () -> defaults.withTopK(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxAnswerLen(0));
        TaskModel mc = TinyTokenizerFolder.taskModel("block_stride-f2-mc", Head.MULTIPLE_CHOICE, tokenizerDir);
        assertMessage(() -> new QuestionAnsweringPipeline(mc), "LSGRobertaForQuestionAnswering");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        LsgException e = assertThrows(LsgException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
