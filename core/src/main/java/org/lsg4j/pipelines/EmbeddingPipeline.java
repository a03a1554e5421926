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
     * A pipeline whose warnings (inputs truncated, options replaced) go to the platform logger,
     * {@code System.getLogger("org.lsg4j.pipelines.EmbeddingPipeline")}, at level WARNING.
     *
     * @param model a model loaded with any head (the encoder is what is read)
     */
    public EmbeddingPipeline(TaskModel model) {
        this(model, Warnings.logged(EmbeddingPipeline.class));
    }

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
        boolean fromHiddenStates = fromHiddenStates(options);
        return BatchRunner.encoderOnly(model, fromHiddenStates).run(encodings, options.batchSize(),
                (i, outputs, row, length) -> new Embedding(pooled(outputs, row, length, encodings.get(i), options)));
    }

    /**
     * An encoding's embedding and, from the same forward pass, one vector per span of its tokens: the mean
     * of the token outputs in {@code [from, to)} (padding left out), normalised when the options say so.
     * A passage's vector then carries the context of the whole document around it ("late chunking"), and
     * with mean pooling the document's vector is the token-weighted sum of the means of spans that tile it:
     * a span whose vector is close to a query is a part of the document that drives its score.
     *
     * @param tokenSpans {@code {from, to}} token positions, {@code 0 <= from < to <= encoding.length()}
     */
    public SpanEmbeddings embedSpans(Encoding encoding, List<int[]> tokenSpans, EmbeddingOptions options) {
        for (int[] s : tokenSpans) {
            if (s.length != 2 || s[0] < 0 || s[0] >= s[1] || s[1] > encoding.length()) {
                throw new IllegalArgumentException("span " + java.util.Arrays.toString(s) + " is not within the "
                        + encoding.length() + " tokens");
            }
        }
        int d = model.model().config().hiddenSize();
        return BatchRunner.encoderOnly(model, fromHiddenStates(options)).run(List.of(encoding), 1, (i, outputs, row, length) -> {
            float[] hidden = outputs.get("last_hidden_state").data();
            List<float[]> spans = tokenSpans.stream().map(s -> {
                float[] v = mean(hidden, row * length, encoding.attentionMask(), s[0], s[1], d);
                if (options.normalize()) {
                    normalize(v);
                }
                return v;
            }).toList();
            return new SpanEmbeddings(new Embedding(pooled(outputs, row, length, encoding, options)), spans);
        }).get(0);
    }

    /**
     * What {@link #embedSpans} returns.
     *
     * @param document the encoding's embedding, as {@link #embed} makes it
     * @param spans    one vector per span, in the order given
     */
    public record SpanEmbeddings(Embedding document, List<float[]> spans) {
    }

    private boolean fromHiddenStates(EmbeddingOptions options) {
        return options.pooling() == Pooling.GLOBAL && !model.model().config().poolWithGlobal();
    }

    /** One row's pooled (and, if asked, normalised) vector. */
    private float[] pooled(ModelOutputs outputs, int row, int length, Encoding e, EmbeddingOptions options) {
        LsgConfig config = model.model().config();
        int d = config.hiddenSize();
        float[] v = switch (options.pooling()) {
            case CLS -> lastHiddenRow(outputs, row * length, d);
            case MEAN -> mean(outputs.get("last_hidden_state").data(), row * length, e.attentionMask(), 0, e.length(), d);
            case GLOBAL -> fromHiddenStates(options) ? firstGlobal(outputs, row, config) : lastHiddenRow(outputs, row * length, d);
        };
        if (options.normalize()) {
            normalize(v);
        }
        return v;
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

    /** The mean of the rows {@code [from, to)} of one input (starting at row {@code first}) that the mask keeps. */
    private static float[] mean(float[] hidden, int first, int[] mask, int from, int to, int d) {
        double[] sum = new double[d];
        int count = 0;
        for (int p = from; p < to; p++) {
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
