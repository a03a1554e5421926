package org.lsg4j.pipelines;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.Padding;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Truncation;

import java.util.List;
import java.util.function.Consumer;

/**
 * Multiple choice: which of several choices best follows or answers a prompt. Each choice is
 * encoded with the prompt as a pair, {@code <s> prompt </s></s> choice </s>}, the pairs are
 * right-padded to the longest into one {@code 1 x choices x tokens} input (as Hugging Face's
 * multiple-choice training examples do), and the head's logits go through a softmax over the
 * choices. A pair longer than the model is truncated, longest input first, with a warning.
 * Immutable and thread-safe.
 */
public final class MultipleChoicePipeline {
    private final TaskModel model;
    private final int maxTokens;
    private final Consumer<String> warnings;

    /**
     * @param warnings receives what the pipeline reports (truncated inputs)
     * @throws LsgException when the model has no multiple-choice head
     */
    public MultipleChoicePipeline(TaskModel model, Consumer<String> warnings) {
        TaskModels.requireHead(model, Head.MULTIPLE_CHOICE, "multiple choice");
        this.model = model;
        this.maxTokens = TaskModels.maxTokens(model);
        this.warnings = warnings;
    }

    /** The scores of {@code choices} for {@code prompt}. */
    public MultipleChoiceResult run(String prompt, List<String> choices) {
        float[] logits = logits(prompt, choices);
        float[] scores = Probabilities.softmax(logits, 0, logits.length);
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return new MultipleChoiceResult(choices, scores, best);
    }

    /** The head's logit for each choice. */
    float[] logits(String prompt, List<String> choices) {
        List<Encoding> rows = encode(prompt, choices);
        int c = rows.size();
        int t = rows.get(0).length();
        long[] ids = new long[c * t];
        long[] mask = new long[c * t];
        for (int r = 0; r < c; r++) {
            int[] m = rows.get(r).attentionMask();
            for (int i = 0; i < t; i++) {
                ids[r * t + i] = rows.get(r).id(i);
                mask[r * t + i] = m[i];
            }
        }
        int[] shape = {1, c, t};
        return model.model().forward(ModelInputs.of(new LongTensor(shape, ids))
                .withAttentionMask(new LongTensor(shape, mask))).get("logits").data();
    }

    /** One (prompt, choice) pair per choice, padded to the longest; truncated when too long. */
    List<Encoding> encode(String prompt, List<String> choices) {
        if (choices.isEmpty()) {
            throw new LsgException("multiple choice needs at least one choice");
        }
        List<TextInput> pairs = choices.stream().map(choice -> TextInput.of(prompt, choice)).toList();
        BatchOptions options = BatchOptions.defaults().withPadding(Padding.longest());
        List<Encoding> rows = model.tokenizer().encodeBatch(pairs, options).encodings();
        if (rows.get(0).length() <= maxTokens) {
            return rows;
        }
        warnings.accept("a prompt with its longest choice has " + rows.get(0).length() + " tokens, more than the model's "
                + maxTokens + ": truncated to " + maxTokens + " (longest input first)");
        return model.tokenizer().encodeBatch(pairs, options.withTruncation(Truncation.longestFirst(maxTokens))).encodings();
    }
}
