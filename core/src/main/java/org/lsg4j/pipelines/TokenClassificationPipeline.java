package org.lsg4j.pipelines;

import org.lsg4j.model.Head;
import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Truncation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Token classification (named entities, tagging) with the semantics of Hugging Face's
 * token-classification pipeline: softmax over each token's logits, the label from id2label,
 * {@link AggregationStrategy aggregation}, {@code ignore_labels}.
 *
 * <p>Words, for first/average/max, follow Hugging Face's rule for byte-level BPE tokenizers: a
 * token continues the previous word unless it starts the text or a space (U+0020) precedes it.
 * A text longer than the model is cut into windows of the model's length overlapping by
 * {@code stride} tokens; each window is classified alone and overlapping entities are merged
 * (the longer one, or the higher score, wins), as Hugging Face does when given a stride.
 * Immutable and thread-safe.
 */
public final class TokenClassificationPipeline {
    private final TaskModel model;
    private final EntityAggregator aggregator;
    private final BatchRunner runner;

    /** @throws org.lsg4j.LsgException when the model has no token-classification head */
    public TokenClassificationPipeline(TaskModel model) {
        TaskModels.requireHead(model, Head.TOKEN_CLASSIFICATION, "token classification");
        this.model = model;
        this.aggregator = new EntityAggregator(model.model().config().id2label(),
                ids -> model.tokenizer().decode(ids, false, false));
        this.runner = new BatchRunner(model, false);
    }

    /** The entities of {@code text}, in text order. */
    public List<Entity> run(String text, TokenClassificationOptions options) {
        return run(List.of(text), options, 1).get(0);
    }

    /**
     * The entities of each text. The model inputs (a text's windows, then the next text's) run
     * {@code batchSize} at a time, right-padded to the longest of their batch.
     */
    public List<List<Entity>> run(List<String> texts, TokenClassificationOptions options, int batchSize) {
        List<List<Encoding>> windows = texts.stream().map(t -> windows(t, options.stride())).toList();
        List<Encoding> inputs = windows.stream().flatMap(List::stream).toList();
        List<float[]> logits = logits(inputs, batchSize);
        List<List<Entity>> results = new ArrayList<>(texts.size());
        int next = 0;
        for (int i = 0; i < texts.size(); i++) {
            List<Entity> entities = new ArrayList<>();
            for (Encoding window : windows.get(i)) {
                List<TokenPrediction> tokens = predictions(texts.get(i), window, logits.get(next++));
                for (Entity e : aggregator.aggregate(tokens, options.aggregationStrategy())) {
                    if (!options.ignoreLabels().contains(e.label())) {
                        entities.add(e);
                    }
                }
            }
            results.add(windows.get(i).size() > 1 ? EntityAggregator.mergeOverlapping(entities) : List.copyOf(entities));
        }
        return results;
    }

    /** The logits of each model input (tokens x labels, flattened, padding left out), {@code batchSize} inputs per run. */
    List<float[]> logits(List<Encoding> inputs, int batchSize) {
        int labels = model.model().config().numLabels();
        return runner.run(inputs, batchSize, (index, out, row, length) -> {
            int from = row * length * labels;
            return Arrays.copyOfRange(out.get("logits").data(), from, from + inputs.get(index).length() * labels);
        });
    }

    /** The model inputs for {@code text}: one, or overlapping windows when it is longer than the model. */
    List<Encoding> windows(String text, int stride) {
        int window = model.maxTokens() - model.tokenizer().numSpecialTokens(false);
        int overlap = stride >= 0 ? stride : Math.min(128, window / 2);
        BatchOptions options = BatchOptions.defaults().withTruncation(Truncation.windows(model.maxTokens(), overlap));
        return model.tokenizer().encodeBatch(List.of(TextInput.of(text)), options).encodings();
    }

    private List<TokenPrediction> predictions(String text, Encoding input, float[] logits) {
        int labels = model.model().config().numLabels();
        List<TokenPrediction> out = new ArrayList<>(input.length());
        for (int i = 0; i < input.length(); i++) {
            if (input.sequenceId(i) < 0 || model.tokenizer().isSpecial(input.id(i))) {
                continue;
            }
            out.add(new TokenPrediction(i, input.id(i), input.token(i), input.start(i), input.end(i),
                    model.tokenizer().isSubword(input, i, text), Scores.softmax(logits, i * labels, labels)));
        }
        return out;
    }
}
