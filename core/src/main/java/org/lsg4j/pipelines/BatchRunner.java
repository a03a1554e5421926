package org.lsg4j.pipelines;

import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs encodings through the model in batches of {@code batchSize} consecutive inputs, each batch
 * right-padded to its longest encoding, as the Hugging Face pipelines do with {@code batch_size}.
 */
public final class BatchRunner {
    private final TaskModel model;
    private final boolean hiddenStates;
    private final boolean encoderOnly;

    /**
     * @param hiddenStates whether the outputs must hold hidden_states.K as well
     */
    public BatchRunner(TaskModel model, boolean hiddenStates) {
        this(model, hiddenStates, false);
    }

    private BatchRunner(TaskModel model, boolean hiddenStates, boolean encoderOnly) {
        this.model = model;
        this.hiddenStates = hiddenStates;
        this.encoderOnly = encoderOnly;
    }

    /**
     * A runner of the encoder alone (last_hidden_state whatever the model's head), for the pipelines that read
     * the encoder's output: a model loaded for fill-mask or classification embeds without a second load.
     */
    public static BatchRunner encoderOnly(TaskModel model, boolean hiddenStates) {
        return new BatchRunner(model, hiddenStates, true);
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
        return run(encodings, batchSize, null, reader);
    }

    /**
     * Runs all encodings with a token-level head made only at the positions {@code positions}
     * gives for each encoding (see {@link org.lsg4j.model.ModelInputs#headPositions()}): the
     * batch's logits hold those rows in order, row after row, so a reader finds its first one at
     * the count of the positions of the rows before it (the {@code row} argument of
     * {@link RowReader#read} is that count).
     */
    public <R> List<R> runAt(List<Encoding> encodings, int batchSize, Function<Encoding, int[]> positions,
                             RowReader<R> reader) {
        return run(encodings, batchSize, positions, reader);
    }

    private <R> List<R> run(List<Encoding> encodings, int batchSize, Function<Encoding, int[]> positions,
                            RowReader<R> reader) {
        List<R> results = new ArrayList<>(encodings.size());
        for (List<Encoding> batch : batches(encodings, batchSize)) {
            int length = TaskModel.paddedLength(batch);
            ModelInputs in = model.inputs(batch).withHiddenStates(hiddenStates);
            int[] first = new int[batch.size()];
            if (positions != null) {
                List<Long> at = new ArrayList<>();
                for (int row = 0; row < batch.size(); row++) {
                    first[row] = at.size();
                    for (int p : positions.apply(batch.get(row))) {
                        at.add((long) row * length + p);
                    }
                }
                in = in.withHeadPositions(new LongTensor(new int[]{at.size()},
                        at.stream().mapToLong(Long::longValue).toArray()));
            }
            ModelOutputs outputs = encoderOnly ? model.runEncoder(in) : model.run(in);
            for (int row = 0; row < batch.size(); row++) {
                results.add(reader.read(results.size(), outputs, positions == null ? row : first[row], length));
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
