package org.lsg4j.pipelines;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Span selection on the start/end logits the PyTorch reference computed for the question
 * answering fixtures, against an independent brute force in double precision over every
 * (start, end) pair: the softmax of each of start and end over the context and {@code <s>} (the
 * other positions masked), the product as the score, spans inside the context with
 * {@code start <= end < start + max_answer_len}.
 */
class QuestionAnsweringSpansTest {
    /** Positions 1..9 play the question, 10-11 the separators, then the context up to the last real token. */
    private static final int CONTEXT_START = 12;

    private record Expected(int start, int end, double score) {
    }

    @ParameterizedTest
    @CsvSource({"stride-f4-qa, 1, 15", "stride-f4-qa, 5, 15", "stride-f4-qa, 20, 1", "stride-f4-qa, 3, 200",
            "qa-positions-out-of-range, 1, 15", "qa-positions-out-of-range, 7, 4"})
    void bestSpansMatchBruteForceOnReferenceLogits(String fixture, int topK, int maxAnswerLen) {
        try (SafeTensors in = SafeTensors.open(TinyTokenizerFolder.FIXTURES.resolve(fixture).resolve("inputs.safetensors"));
             SafeTensors out = SafeTensors.open(TinyTokenizerFolder.FIXTURES.resolve(fixture).resolve("outputs.safetensors"))) {
            LongTensor mask = in.longs("attention_mask");
            FloatTensor starts = out.floats("start_logits");
            FloatTensor ends = out.floats("end_logits");
            int rows = mask.dim(0);
            int t = mask.dim(1);
            for (int r = 0; r < rows; r++) {
                boolean[] context = new boolean[t];
                int real = 0;
                for (int i = 0; i < t; i++) {
                    real += (int) mask.data()[r * t + i];
                }
                for (int i = CONTEXT_START; i < real - 1; i++) {
                    context[i] = true;
                }
                float[] s = Arrays.copyOfRange(starts.data(), r * t, (r + 1) * t);
                float[] e = Arrays.copyOfRange(ends.data(), r * t, (r + 1) * t);
                AnswerSpans.Result got = AnswerSpans.best(s, e, context, topK, maxAnswerLen);
                double[] ps = softmax(s, context);
                double[] pe = softmax(e, context);
                List<Expected> expected = bruteForce(ps, pe, context, maxAnswerLen);
                String where = fixture + " row " + r;
                assertEquals(Math.min(topK, expected.size()), got.spans().size(), where);
                for (int k = 0; k < got.spans().size(); k++) {
                    AnswerSpans.Span span = got.spans().get(k);
                    Expected want = expected.get(k);
                    assertEquals(want.start(), span.start(), where + " rank " + k);
                    assertEquals(want.end(), span.end(), where + " rank " + k);
                    assertEquals(want.score(), span.score(), 1e-6 * want.score() + 1e-12, where + " rank " + k);
                }
                assertEquals(ps[0] * pe[0], got.nullScore(), 1e-6 * ps[0] * pe[0] + 1e-12, where + " null score");
                double total = ps[0];
                for (int i = 0; i < t; i++) {
                    total += context[i] ? ps[i] : 0;
                }
                assertEquals(1.0, total, 1e-9, "the softmax covers the context and <s> only");
            }
        }
    }

    private static double[] softmax(float[] logits, boolean[] context) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            if (i == 0 || context[i]) {
                max = Math.max(max, logits[i]);
            }
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = i == 0 || context[i] ? Math.exp(logits[i] - max) : 0;
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static List<Expected> bruteForce(double[] ps, double[] pe, boolean[] context, int maxAnswerLen) {
        List<Expected> all = new ArrayList<>();
        for (int s = 0; s < ps.length; s++) {
            for (int e = 0; e < pe.length; e++) {
                if (context[s] && context[e] && s <= e && e - s + 1 <= maxAnswerLen) {
                    all.add(new Expected(s, e, ps[s] * pe[e]));
                }
            }
        }
        all.sort(Comparator.comparingDouble(Expected::score).reversed());
        assertTrue(all.size() < 2 || all.get(0).score() > all.get(1).score(), "no tie at the top");
        return all;
    }
}
