package org.lsg4j.pipelines;

import org.lsg4j.model.ModelOutputs;
import org.lsg4j.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs encodings through the model in batches of {@code batchSize} consecutive inputs, each batch
 * right-padded to its longest encoding, as the Hugging Face pipelines do with {@code batch_size}.
 */
public final class BatchRunner {
    private final TaskModel model;
    private final boolean hiddenStates;

    /**
     * @param hiddenStates whether the outputs must hold hidden_states.K as well
     */
    public BatchRunner(TaskModel model, boolean hiddenStates) {
        this.model = model;
        this.hiddenStates = hiddenStates;
    }

    /** Reads one input's result out of its batch's outputs, before the next batch runs. */
    @FunctionalInterface
    public interface RowReader<R> {
        /**
         * @param index the input's index in the list given to {@link #run}
         * @param outputs the outputs of the whole batch
         * @param row the input's row in the batch
         * @param paddedLength the number of positions of every row of the batch
         */
        R read(int index, ModelOutputs outputs, int row, int paddedLength);
    }

    /** Runs all encodings and returns one result per encoding, in order. */
    public <R> List<R> run(List<Encoding> encodings, int batchSize, RowReader<R> reader) {
        List<R> results = new ArrayList<>(encodings.size());
        for (List<Encoding> batch : batches(encodings, batchSize)) {
            ModelOutputs outputs = model.run(batch, hiddenStates);
            int length = TaskModel.paddedLength(batch);
            for (int row = 0; row < batch.size(); row++) {
                results.add(reader.read(results.size(), outputs, row, length));
            }
        }
        return results;
    }

    /** Consecutive groups of {@code batchSize} encodings (the last one may be shorter). */
    public static List<List<Encoding>> batches(List<Encoding> encodings, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
        }
        List<List<Encoding>> out = new ArrayList<>();
        for (int from = 0; from < encodings.size(); from += batchSize) {
            out.add(encodings.subList(from, Math.min(encodings.size(), from + batchSize)));
        }
        return out;
    }
}
