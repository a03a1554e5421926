package org.lsg4j.pipelines;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Encoding;
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
    private final Consumer<String> warnings;

    /**
     * A pipeline whose warnings (inputs truncated, options replaced) go to the platform logger,
     * {@code System.getLogger("org.lsg4j.pipelines.MultipleChoicePipeline")}, at level WARNING.
     *
     * @param model a model loaded with {@link Head#MULTIPLE_CHOICE}
     */
    public MultipleChoicePipeline(TaskModel model) {
        this(model, Warnings.logged(MultipleChoicePipeline.class));
    }

    /**
     * @param warnings receives what the pipeline reports (truncated inputs)
     * @throws LsgException when the model has no multiple-choice head
     */
    public MultipleChoicePipeline(TaskModel model, Consumer<String> warnings) {
        TaskModels.requireHead(model, Head.MULTIPLE_CHOICE, "multiple choice");
        this.model = model;
        this.warnings = warnings;
    }

    /** The scores of {@code choices} for {@code prompt}. */
    public MultipleChoiceResult run(String prompt, List<String> choices) {
        return MultipleChoiceResult.fromLogits(choices, logits(prompt, choices));
    }

    /** The head's logit for each choice. */
    float[] logits(String prompt, List<String> choices) {
        List<Encoding> rows = encode(prompt, choices);
        ModelInputs flat = model.inputs(rows);
        int[] shape = {1, rows.size(), flat.inputIds().dim(1)};
        ModelInputs stacked = ModelInputs.of(new LongTensor(shape, flat.inputIds().data()))
                .withAttentionMask(new LongTensor(shape, flat.attentionMask().data()));
        if (flat.tokenTypeIds() != null) {
            stacked = stacked.withTokenTypeIds(new LongTensor(shape, flat.tokenTypeIds().data()));
        }
        return model.model().forward(stacked, model.workers()).get("logits").data();
    }

    /** One (prompt, choice) pair per choice, truncated when too long. */
    List<Encoding> encode(String prompt, List<String> choices) {
        if (choices.isEmpty()) {
            throw new LsgException("multiple choice needs at least one choice");
        }
        List<TextInput> pairs = choices.stream().map(choice -> TextInput.of(prompt, choice)).toList();
        int maxTokens = model.maxTokens();
        // one position past the model tells whether a pair is longer, without tokenizing all of a long prompt
        List<Encoding> rows = model.tokenizer().encodeBatch(pairs,
                BatchOptions.defaults().withTruncation(Truncation.longestFirst(maxTokens + 1))).encodings();
        int longest = TaskModel.paddedLength(rows);
        if (longest <= maxTokens) {
            return rows;
        }
        warnings.accept("a prompt with its longest choice has more than the model's " + maxTokens
                + " tokens: truncated to " + maxTokens + " (longest input first)");
        BatchOptions truncate = BatchOptions.defaults().withTruncation(Truncation.longestFirst(maxTokens));
        return model.tokenizer().encodeBatch(pairs, truncate).encodings();
    }
}
