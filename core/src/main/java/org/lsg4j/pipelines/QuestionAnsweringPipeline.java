package org.lsg4j.pipelines;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Truncation;
import org.lsg4j.tokenizer.TruncationStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Extractive question answering with the semantics of Hugging Face's question-answering pipeline.
 *
 * <p>The question and the context are encoded as a pair, {@code <s> question </s></s> context </s>}.
 * A context too long for {@code max_seq_len} tokens is cut into windows overlapping by
 * {@code doc_stride} tokens, each holding the whole question. In each window the start and end
 * logits outside the context (the first token {@code <s>} excepted) are set to -10000, each goes
 * through a softmax, and a span of context tokens {@code s <= e < s + max_answer_len} scores
 * {@code pStart[s] * pEnd[e]}; the {@code top_k} best spans of every window are pooled and the
 * {@code top_k} best kept (a span seen by two windows may appear twice, as in Hugging Face). With
 * {@code handle_impossible_answer}, "no answer" ({@code score = pStart[<s>] * pEnd[<s>]}, the
 * smallest over the windows; {@code start = end = 0}, answer "") competes with them.
 *
 * <p>An answer runs from the first char of its start token to the last char of its end token
 * (Hugging Face's {@code align_to_words=False}; its default widens a span cut inside a word to
 * the whole word, which needs the tokenizer's word ids). Offsets are Java {@code String} indices
 * into the context. The question is not truncated (Hugging Face's max_question_len applies only
 * to slow tokenizers); a question too long to leave room for the context is an error.
 * Immutable and thread-safe.
 */
public final class QuestionAnsweringPipeline {
    /** The context is the second input of each pair (sequence id 1). */
    private static final int CONTEXT = 1;
    private final TaskModel model;
    private final BatchRunner runner;

    /** @throws LsgException when the model has no question-answering head */
    public QuestionAnsweringPipeline(TaskModel model) {
        TaskModels.requireHead(model, Head.QUESTION_ANSWERING, "question answering");
        this.model = model;
        this.runner = new BatchRunner(model, false);
    }

    /** The best answers to {@code question} in {@code context}, highest score first (at most top_k). */
    public List<Answer> run(String question, String context, QuestionAnsweringOptions options) {
        return run(List.of(new QuestionContext(question, context)), options, 1).get(0);
    }

    /**
     * The best answers for each input. The model inputs (an input's windows, then the next
     * input's) run {@code batchSize} at a time, right-padded to the longest of their batch.
     */
    public List<List<Answer>> run(List<QuestionContext> inputs, QuestionAnsweringOptions options, int batchSize) {
        List<List<Encoding>> windows = inputs.stream().map(in -> windows(in.question(), in.context(), options)).toList();
        List<Encoding> all = windows.stream().flatMap(List::stream).toList();
        List<AnswerSpans.Result> spans = runner.run(all, batchSize, (index, out, row, length) -> {
            Encoding window = all.get(index);
            boolean[] inContext = new boolean[window.length()];
            for (int i = 0; i < inContext.length; i++) {
                inContext[i] = window.sequenceId(i) == CONTEXT;
            }
            int from = row * length;
            return AnswerSpans.best(slice(out, "start_logits", from, inContext.length),
                    slice(out, "end_logits", from, inContext.length), inContext, options.topK(), options.maxAnswerLen());
        });
        List<List<Answer>> results = new ArrayList<>(inputs.size());
        int next = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String context = inputs.get(i).context();
            List<Answer> answers = new ArrayList<>();
            float nullScore = Float.POSITIVE_INFINITY;
            for (Encoding window : windows.get(i)) {
                AnswerSpans.Result r = spans.get(next++);
                nullScore = Math.min(nullScore, r.nullScore());
                for (AnswerSpans.Span s : r.spans()) {
                    int start = window.start(s.start());
                    int end = window.end(s.end());
                    if (options.alignToWords()) {
                        start = window.wordToChars(window.wordId(s.start()), CONTEXT)[0];
                        end = window.wordToChars(window.wordId(s.end()), CONTEXT)[1];
                    }
                    answers.add(new Answer(s.score(), start, end, context.substring(start, end)));
                }
            }
            if (options.handleImpossibleAnswer()) {
                answers.add(new Answer(nullScore, 0, 0, ""));
            }
            answers.sort(Comparator.comparingDouble(Answer::score).reversed());
            results.add(List.copyOf(answers.subList(0, Math.min(options.topK(), answers.size()))));
        }
        return results;
    }

    private static float[] slice(ModelOutputs out, String name, int from, int length) {
        return Arrays.copyOfRange(out.get(name).data(), from, from + length);
    }

    /** The model inputs: the pair, or windows over the context holding the whole question each. */
    List<Encoding> windows(String question, String context, QuestionAnsweringOptions options) {
        if (question.isEmpty() || context.isEmpty()) {
            throw new LsgException((question.isEmpty() ? "the question" : "the context") + " must not be empty");
        }
        int maxTokens = model.maxTokens();
        int maxSeqLen = options.maxSeqLen() < 0 ? maxTokens : options.maxSeqLen();
        if (maxSeqLen > maxTokens) {
            throw new LsgException("max_seq_len " + maxSeqLen + " is more than the model takes (" + maxTokens + " tokens)");
        }
        int stride = options.docStride() < 0 ? Math.min(maxSeqLen / 2, 128) : options.docStride();
        int questionTokens = model.tokenizer().encode(question, false).length();
        int specials = model.tokenizer().numSpecialTokens(true);
        int room = maxSeqLen - specials - questionTokens;
        if (room < 1) {
            throw new LsgException("the question has " + questionTokens + " tokens: with the " + specials + " special tokens it leaves"
                    + " no room for the context in " + maxSeqLen + " tokens");
        }
        if (room <= stride && model.tokenizer().encode(context, false).length() > room) {
            throw new LsgException("the context needs windows, but the question (" + questionTokens + " tokens) leaves "
                    + room + " tokens per window, not more than doc_stride " + stride
                    + ": lower doc_stride or shorten the question");
        }
        Truncation windows = new Truncation(TruncationStrategy.ONLY_SECOND, maxSeqLen, stride, true);
        return model.tokenizer().encodeBatch(List.of(TextInput.of(question, context)),
                BatchOptions.defaults().withTruncation(windows)).encodings();
    }
}
