package org.lsg4j.pipelines;

import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Tokenizer;
import org.lsg4j.tokenizer.Truncation;

import java.util.List;
import java.util.function.Consumer;

/**
 * Encodes the inputs of a pipeline with special tokens, keeping each within what the model takes.
 * An input longer than the model is truncated (longest first for pairs) and a warning is given;
 * an explicit {@code maxLength} (the pipelines' {@code truncation=True, max_length=N}) truncates
 * silently. Immutable and thread-safe when the warning sink is.
 */
public final class DocumentEncoder {
    private static final int EXCERPT = 40;

    private final Tokenizer tokenizer;
    private final int modelLimit;
    private final Consumer<String> warnings;

    /**
     * A pipeline whose warnings (inputs truncated, options replaced) go to the platform logger,
     * {@code System.getLogger("org.lsg4j.pipelines.DocumentEncoder")}, at level WARNING.
     *
     * @param model the model whose tokenizer and {@link TaskModel#maxTokens()} limit are used
     */
    public DocumentEncoder(TaskModel model) {
        this(model, Warnings.logged(DocumentEncoder.class));
    }

    /**
     * @param model the model whose tokenizer and {@link TaskModel#maxTokens()} limit are used
     * @param warnings where truncation warnings go
     */
    public DocumentEncoder(TaskModel model, Consumer<String> warnings) {
        this.tokenizer = model.tokenizer();
        this.modelLimit = model.maxTokens();
        this.warnings = warnings;
    }

    /**
     * Encodes one input.
     *
     * @param maxLength truncate to this many positions, or null to truncate only what exceeds the model
     */
    public Encoding encode(TextInput input, Integer maxLength) {
        // one position past the model tells whether the input is longer, without tokenizing all of a long document
        Encoding head = tokenizer.encodeBatch(List.of(input),
                BatchOptions.defaults().withTruncation(Truncation.longestFirst(modelLimit + 1))).get(0);
        int limit = maxLength == null ? modelLimit : Math.min(maxLength, modelLimit);
        if (head.length() <= limit) {
            return head;
        }
        if (head.length() > modelLimit && (maxLength == null || maxLength > modelLimit)) {
            warnings.accept("input \"" + excerpt(input.text()) + "\" has more than the " + modelLimit
                    + " tokens the model takes: truncated to " + limit + " tokens");
        }
        BatchOptions options = BatchOptions.defaults().withTruncation(Truncation.longestFirst(limit));
        return tokenizer.encodeBatch(List.of(input), options).get(0);
    }

    /** The start of the text on one line, control characters escaped (a warning must not forge lines). */
    private static String excerpt(String text) {
        String start = text.strip();
        String oneLine = start.substring(0, Math.min(start.length(), 8 * EXCERPT)).replaceAll("\\s+", " ");
        String cut = oneLine.length() <= EXCERPT && oneLine.length() == start.length() ? oneLine
                : oneLine.substring(0, Math.min(EXCERPT, oneLine.length())) + "...";
        return org.lsg4j.LsgException.excerpt(cut);
    }
}
