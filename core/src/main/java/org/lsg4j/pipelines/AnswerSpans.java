package org.lsg4j.pipelines;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Answer spans of one model input from its start and end logits, by the rules of Hugging Face's
 * question-answering pipeline: logits of tokens that may not be part of an answer (question,
 * separators, padding; the first token {@code <s>} stays) are set to -10000, each of start and
 * end goes through a softmax, and a span {@code (s, e)} of context tokens with
 * {@code s <= e < s + maxAnswerLen} scores {@code pStart[s] * pEnd[e]}.
 */
final class AnswerSpans {
    /** The masking value Hugging Face gives to logits outside the context. */
    static final float MASKED = -10000f;

    /** A span of token positions {@code [start, end]} (both inclusive) with its score. */
    record Span(int start, int end, float score) {
    }

    /**
     * @param spans     the best spans, highest score first (ties: lower start, then lower end, first)
     * @param nullScore {@code pStart[0] * pEnd[0]}: the score of "no answer" ({@code <s>})
     */
    record Result(List<Span> spans, float nullScore) {
    }

    private AnswerSpans() {
    }

    /**
     * @param context true for the positions an answer may cover (the context's tokens)
     * @param topK    how many spans to return at most
     */
    static Result best(float[] startLogits, float[] endLogits, boolean[] context, int topK, int maxAnswerLen) {
        float[] pStart = probabilities(startLogits, context);
        float[] pEnd = probabilities(endLogits, context);
        Comparator<Span> order = Comparator.comparingDouble(Span::score).reversed()
                .thenComparingInt(Span::start).thenComparingInt(Span::end);
        PriorityQueue<Span> kept = new PriorityQueue<>(order.reversed());
        int t = context.length;
        for (int s = 0; s < t; s++) {
            if (!context[s]) {
                continue;
            }
            for (int e = s; e < Math.min(t, s + maxAnswerLen); e++) {
                if (context[e]) {
                    kept.add(new Span(s, e, pStart[s] * pEnd[e]));
                    if (kept.size() > topK) {
                        kept.poll();
                    }
                }
            }
        }
        List<Span> spans = new ArrayList<>(kept);
        spans.sort(order);
        return new Result(spans, pStart[0] * pEnd[0]);
    }

    /** Softmax over the logits with every position outside the context but the first masked. */
    private static float[] probabilities(float[] logits, boolean[] context) {
        float[] masked = logits.clone();
        for (int i = 1; i < masked.length; i++) {
            if (!context[i]) {
                masked[i] = MASKED;
            }
        }
        return Scores.softmax(masked, 0, masked.length);
    }
}
