package org.lsg4j.pipelines;

import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.util.List;
import java.util.function.Consumer;

/**
 * Sentence embeddings: one vector per input, pooled from the encoder's output (CLS, mean over the
 * attention mask, or the first global token), optionally normalised. Immutable and thread-safe
 * once built (when the warning sink is).
 */
public final class EmbeddingPipeline {
    private final TaskModel model;
    private final DocumentEncoder encoder;

    /**
     * @param model a model loaded with any head (the encoder is what is read)
     * @param warnings where warnings go (inputs truncated)
     */
    public EmbeddingPipeline(TaskModel model, Consumer<String> warnings) {
        this.model = model;
        this.encoder = new DocumentEncoder(model, warnings);
    }

    /** The embedding of one input. */
    public Embedding run(TextInput input, EmbeddingOptions options) {
        return run(List.of(input), options).get(0);
    }

    /** The embedding of each input, in order. */
    public List<Embedding> run(List<TextInput> inputs, EmbeddingOptions options) {
        return embed(encode(inputs, options), options);
    }

    /**
     * The encodings {@link #run} embeds: special tokens added, truncated to the model or
     * {@code options.maxLength()} (with a warning when the model's limit cuts). For callers that also
     * need the tokens, e.g. to report how many were read; pass them on to {@link #embed}.
     */
    public List<Encoding> encode(List<TextInput> inputs, EmbeddingOptions options) {
        return inputs.stream().map(in -> encoder.encode(in, options.maxLength())).toList();
    }

    /** The embedding of each encoding (made by {@link #encode} with the same options), in order. */
    public List<Embedding> embed(List<Encoding> encodings, EmbeddingOptions options) {
        LsgConfig config = model.model().config();
        boolean fromHiddenStates = options.pooling() == Pooling.GLOBAL && !config.poolWithGlobal();
        return new BatchRunner(model, fromHiddenStates).run(encodings, options.batchSize(), (i, outputs, row, length) -> {
            float[] v = switch (options.pooling()) {
                case CLS -> lastHiddenRow(outputs, row * length, config.hiddenSize());
                case MEAN -> mean(outputs.get("last_hidden_state").data(), row * length, encodings.get(i),
                        config.hiddenSize());
                case GLOBAL -> fromHiddenStates ? firstGlobal(outputs, row, config)
                        : lastHiddenRow(outputs, row * length, config.hiddenSize());
            };
            if (options.normalize()) {
                normalize(v);
            }
            return new Embedding(v);
        });
    }

    private static float[] lastHiddenRow(ModelOutputs outputs, int position, int d) {
        float[] out = new float[d];
        System.arraycopy(outputs.get("last_hidden_state").data(), position * d, out, 0, d);
        return out;
    }

    /** Row 0 of the last layer's output before the global tokens are removed. */
    private static float[] firstGlobal(ModelOutputs outputs, int row, LsgConfig config) {
        FloatTensor last = outputs.get("hidden_states." + config.numHiddenLayers());
        int d = config.hiddenSize();
        int rows = last.dim(1);
        float[] out = new float[d];
        System.arraycopy(last.data(), row * rows * d, out, 0, d);
        return out;
    }

    private static float[] mean(float[] hidden, int first, Encoding e, int d) {
        double[] sum = new double[d];
        int[] mask = e.attentionMask();
        int count = 0;
        for (int p = 0; p < e.length(); p++) {
            if (mask[p] == 1) {
                count++;
                for (int j = 0; j < d; j++) {
                    sum[j] += hidden[(first + p) * d + j];
                }
            }
        }
        float[] out = new float[d];
        for (int j = 0; j < d; j++) {
            out[j] = (float) (sum[j] / Math.max(1, count));
        }
        return out;
    }

    private static void normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        double scale = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (v[j] * scale);
        }
    }
}
