package org.lsg4j.pipelines;

import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Hugging Face {@code feature-extraction} pipeline: the encoder's last hidden state for each
 * input. The LSG model has removed its global tokens; with {@code pool_with_global} row 0
 * ({@code <s>}) holds the first global token's output. Immutable and thread-safe once built.
 */
public final class FeatureExtractionPipeline {
    private final TaskModel model;
    private final DocumentEncoder encoder;

    /**
     * A pipeline whose warnings (inputs truncated, options replaced) go to the platform logger,
     * {@code System.getLogger("org.lsg4j.pipelines.FeatureExtractionPipeline")}, at level WARNING.
     *
     * @param model a model loaded with any head (the encoder is what is read)
     */
    public FeatureExtractionPipeline(TaskModel model) {
        this(model, Warnings.logged(FeatureExtractionPipeline.class));
    }

    /**
     * @param model a model loaded with any head (the encoder is what is read; {@code Head.BASE} is the usual one)
     * @param warnings where warnings go (inputs truncated)
     */
    public FeatureExtractionPipeline(TaskModel model, Consumer<String> warnings) {
        this.model = model;
        this.encoder = new DocumentEncoder(model, warnings);
    }

    /** The features of one input. */
    public TokenFeatures run(TextInput input, FeatureExtractionOptions options) {
        return run(List.of(input), options).get(0);
    }

    /** The features of each input, in order. */
    public List<TokenFeatures> run(List<TextInput> inputs, FeatureExtractionOptions options) {
        List<Encoding> encodings = inputs.stream().map(in -> encoder.encode(in, options.maxLength())).toList();
        int d = model.model().config().hiddenSize();
        return BatchRunner.encoderOnly(model, false).run(encodings, options.batchSize(), (i, outputs, row, length) -> {
            float[] hidden = outputs.get("last_hidden_state").data();
            float[][] rows = new float[length][];
            for (int p = 0; p < length; p++) {
                int from = (row * length + p) * d;
                rows[p] = Arrays.copyOfRange(hidden, from, from + d);
            }
            return new TokenFeatures(rows);
        });
    }
}
