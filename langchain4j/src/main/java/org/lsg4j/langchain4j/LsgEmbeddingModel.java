package org.lsg4j.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.lsg4j.kernels.Workers;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.Pooling;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

/**
 * An lsg4j model as a LangChain4j {@link EmbeddingModel}. Each text segment becomes one vector, made by
 * {@link EmbeddingPipeline} exactly as {@code lsg embed} makes it, so a segment can be a whole long
 * document (up to 4,096 tokens for the LSG checkpoints) rather than a chunk: longer segments are
 * truncated to the model, with a warning.
 *
 * <pre>{@code
 * try (Workers workers = Workers.create(4)) {
 *     EmbeddingModel embeddings = LsgEmbeddingModel.builder()
 *             .model(TaskModel.load(folder, Head.BASE))
 *             .workers(workers)
 *             .build();                                   // mean pooling, normalised, one document at a time
 *     Response<List<Embedding>> r = embeddings.embedAll(segments);
 * }
 * }</pre>
 *
 * Forward passes run on the {@link Workers} given to the builder: the adapter starts no threads and
 * closes nothing (the caller owns the workers). {@link Response#tokenUsage()} counts the tokens read
 * (special tokens included, after truncation). Immutable and thread-safe.
 */
public final class LsgEmbeddingModel implements EmbeddingModel {
    private static final System.Logger LOG = System.getLogger(LsgEmbeddingModel.class.getName());

    private final TaskModel model;
    private final EmbeddingPipeline pipeline;
    private final EmbeddingOptions options;
    private final String modelName;

    private LsgEmbeddingModel(TaskModel model, EmbeddingOptions options, Consumer<String> warnings, String modelName) {
        this.model = model;
        this.pipeline = new EmbeddingPipeline(model, warnings);
        this.options = options;
        this.modelName = modelName;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response<Embedding> embed(String text) {
        return embed(TextSegment.from(text));
    }

    @Override
    public Response<Embedding> embed(TextSegment segment) {
        Response<List<Embedding>> all = embedAll(List.of(segment));
        return Response.from(all.content().get(0), all.tokenUsage());
    }

    /** One embedding per segment, in order; batches of {@link EmbeddingOptions#batchSize()} run together. */
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<TextInput> inputs = segments.stream().map(s -> TextInput.of(s.text())).toList();
        List<Encoding> encodings = pipeline.encode(inputs, options);
        List<Embedding> vectors = pipeline.embed(encodings, options).stream()
                .map(e -> Embedding.from(e.vector())).toList();
        int tokens = encodings.stream().mapToInt(Encoding::length).sum();
        return Response.from(vectors, new TokenUsage(tokens));
    }

    /** The model's hidden size: the length of every vector. */
    @Override
    public int dimension() {
        return model.model().config().hiddenSize();
    }

    @Override
    public String modelName() {
        return modelName;
    }

    /** The pooling, normalisation, truncation and batch size the vectors are made with. */
    public EmbeddingOptions options() {
        return options;
    }

    /** Builds an {@link LsgEmbeddingModel}; {@link #model} and {@link #workers} are required. */
    public static final class Builder {
        private TaskModel model;
        private Workers workers;
        private Pooling pooling;
        private Boolean normalize;
        private Integer maxLength;
        private boolean maxLengthSet;
        private int batchSize = 1;
        private Consumer<String> warnings = w -> LOG.log(System.Logger.Level.WARNING, w);
        private String modelName = "lsg4j";

        private Builder() {
        }

        /** The model, loaded with any head (its encoder is what is read). */
        public Builder model(TaskModel taskModel) {
            this.model = Objects.requireNonNull(taskModel, "model");
            return this;
        }

        /** The threads forward passes run on, sized and closed by the caller. */
        public Builder workers(Workers threads) {
            this.workers = Objects.requireNonNull(threads, "workers");
            return this;
        }

        /**
         * How token outputs become one vector; by default the model's sentence-transformers pooling
         * (1_Pooling/config.json), else {@link Pooling#MEAN}.
         */
        public Builder pooling(Pooling pooling) {
            this.pooling = Objects.requireNonNull(pooling, "pooling");
            return this;
        }

        /**
         * Whether vectors are scaled to unit length; by default as the model's sentence-transformers modules
         * say (a Normalize module), else true (the sentence-transformers convention).
         */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** Segments run together, padded to the longest; 1 by default (long documents waste least padding alone). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Truncates segments to this many tokens without a warning; null truncates only at the model's limit.
         * By default the model's sentence_bert_config.json max_seq_length when shorter than the model, else null.
         */
        public Builder maxLength(Integer maxLength) {
            this.maxLength = maxLength;
            this.maxLengthSet = true;
            return this;
        }

        /** Where warnings go (a segment truncated at the model's limit); {@link System.Logger} by default. */
        public Builder warnings(Consumer<String> sink) {
            this.warnings = Objects.requireNonNull(sink, "warnings");
            return this;
        }

        /** The name {@link EmbeddingModel#modelName()} reports; {@code lsg4j} by default. */
        public Builder modelName(String name) {
            this.modelName = Objects.requireNonNull(name, "modelName");
            return this;
        }

        /**
         * @throws IllegalStateException when the model or the workers are missing
         */
        public LsgEmbeddingModel build() {
            if (model == null || workers == null) {
                throw new IllegalStateException("an LsgEmbeddingModel needs a model and workers (builder().model(...)"
                        + ".workers(...)); missing: " + (model == null ? "model" : "workers"));
            }
            EmbeddingOptions base = model.sentenceTransformers().isPresent() ? model.sentenceEmbedding()
                    : EmbeddingOptions.defaults().withNormalize(true);
            EmbeddingOptions options = base.withPooling(pooling != null ? pooling : base.pooling())
                    .withNormalize(normalize != null ? normalize : base.normalize())
                    .withMaxLength(maxLengthSet ? maxLength : base.maxLength())
                    .withBatchSize(batchSize);
            return new LsgEmbeddingModel(model.withWorkers(workers), options, warnings, modelName);
        }
    }
}
