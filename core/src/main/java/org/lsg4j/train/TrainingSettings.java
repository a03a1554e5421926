package org.lsg4j.train;

import org.lsg4j.LsgException;

import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that decides the weights a training run ends with (what a resumed run must repeat
 * exactly). The defaults are Hugging Face TrainingArguments' where they fit long documents on a
 * CPU; see {@link #defaults(Task)}.
 *
 * @param epochs         passes over the training data (ignored when {@code maxSteps} is set)
 * @param maxSteps       optimizer steps to run, or 0 for {@code epochs} passes; the schedule spans them
 * @param learningRate   the peak learning rate of the linear schedule
 * @param batchSize      features per forward pass
 * @param gradAccum      forward passes per optimizer step (their losses averaged)
 * @param warmupSteps    warm-up steps of the schedule; when 0, {@code warmupRatio} of the steps (rounded up)
 * @param warmupRatio    the fraction of the steps spent warming up, when warmupSteps is 0
 * @param weightDecay    AdamW's decoupled weight decay
 * @param maxGradNorm    the global gradient norm gradients are clipped to (0 for none)
 * @param maxLength      tokens per input, special tokens included, or 0 for the most the model takes
 * @param seed           the seed of the data order, the dropout masks, MLM masks and newly initialized weights
 * @param trainable      which parameters learn (see {@link org.lsg4j.model.TrainableModel#trainable(String, org.lsg4j.model.Family.HeadSpec)})
 * @param config         config.json keys overridden when the model is loaded (and saved with it)
 * @param labelAllTokens token classification: label every token of a word, not only its first
 * @param docStride      question answering: the overlap of the windows a long context is cut into, or -1
 *                       for {@code min(max_length / 2, 128)} (the question-answering pipeline's default)
 */
public record TrainingSettings(Task task, int epochs, int maxSteps, double learningRate, int batchSize, int gradAccum,
                               int warmupSteps, double warmupRatio, double weightDecay, double maxGradNorm,
                               int maxLength, long seed, String trainable, Map<String, String> config,
                               boolean labelAllTokens, int docStride) {

    public TrainingSettings {
        config = Map.copyOf(new TreeMap<>(config));
        if (epochs < 1 && maxSteps < 1) {
            throw new LsgException("--epochs must be at least 1 (or give --max-steps)");
        }
        if (maxSteps < 0 || batchSize < 1 || gradAccum < 1 || warmupSteps < 0 || maxLength < 0 || docStride < -1) {
            throw new LsgException("--max-steps, --warmup, --max-length and --doc-stride must be >= 0;"
                    + " --batch-size and --grad-accum >= 1");
        }
        if (!(learningRate >= 0) || !(weightDecay >= 0) || !(maxGradNorm >= 0) || !(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new LsgException("--lr, --weight-decay and --max-grad-norm must be >= 0, a --warmup ratio in [0, 1)");
        }
        if (trainable == null || trainable.isBlank()) {
            throw new LsgException("--trainable is empty: give all, head, global, or parts of parameter names");
        }
    }

    /**
     * 3 epochs, learning rate 5e-5, batch 8, no accumulation, no warm-up, no weight decay, clipping
     * at 1.0, the model's whole length, seed 42, every parameter trainable, the pipeline's doc stride.
     */
    public static TrainingSettings defaults(Task task) {
        return new TrainingSettings(task, 3, 0, 5e-5, 8, 1, 0, 0, 0, 1.0, 0, 42, "all", Map.of(), false, -1);
    }

    /** The doc stride of inputs of {@code maxLength} tokens. */
    public int docStride(int maxLength) {
        return docStride >= 0 ? docStride : Math.min(maxLength / 2, 128);
    }

    /** The warm-up steps of a run of {@code total} steps. */
    public int warmup(int total) {
        return warmupSteps > 0 ? warmupSteps : (int) Math.ceil(warmupRatio * total);
    }
}
