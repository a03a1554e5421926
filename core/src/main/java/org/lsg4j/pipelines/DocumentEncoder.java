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
        Encoding full = input.pair() == null ? tokenizer.encode(input.text())
                : tokenizer.encodePair(input.text(), input.pair(), true);
        int limit = maxLength == null ? modelLimit : Math.min(maxLength, modelLimit);
        if (full.length() <= limit) {
            return full;
        }
        if (full.length() > modelLimit && (maxLength == null || maxLength > modelLimit)) {
            warnings.accept("input \"" + excerpt(input.text()) + "\" has " + full.length()
                    + " tokens, more than the " + modelLimit + " the model takes: truncated to " + limit + " tokens");
        }
        BatchOptions options = BatchOptions.defaults().withTruncation(Truncation.longestFirst(limit));
        return tokenizer.encodeBatch(List.of(input), options).get(0);
    }

    private static String excerpt(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= EXCERPT ? oneLine : oneLine.substring(0, EXCERPT) + "...";
    }
}
