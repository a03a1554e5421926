package org.lsg4j.cli;

import org.lsg4j.model.Head;
import org.lsg4j.model.LsgModel;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.FeatureExtractionOptions;
import org.lsg4j.pipelines.FeatureExtractionPipeline;
import org.lsg4j.pipelines.Pooling;
import org.lsg4j.pipelines.TaskModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** {@code lsg embed}: sentence embeddings, or the feature-extraction pipeline's token features. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Embed texts with the encoder of any LSG checkpoint (default: the default model). Prints one "
            + "vector per input, pooled with --pooling; with --features, exactly the feature-extraction "
            + "pipeline's JSON instead: [1][tokens][hidden], special tokens included. A sentence-transformers "
            + "folder (modules.json) embeds as sentence-transformers does, unless told.",
        footer = {"", "Examples:",
                "  lsg embed \"A long report ...\"",
                "  lsg embed --model ccdv/lsg-distilroberta-base-4096 --pooling mean \\", "      --normalize \"A long report ...\"",
                "  lsg embed --model DIR --features \"I loved this movie!\"",
                "  lsg embed --model DIR --pooling global --batch-size 8 --input docs.jsonl > \\", "      vectors.jsonl"})
final class EmbedCommand extends PipelineCommand {
    @Mixin
    private TextInputOptions input;

    @Option(names = "--pooling", paramLabel = "cls|mean|global",
            description = "cls: row 0; mean: mean over the attention mask; global: the first global token (row 0 too when "
            + "pool_with_global). Default: the model's sentence-transformers pooling (1_Pooling/config.json), "
            + "else mean.")
    private String pooling;

    @Option(names = "--normalize", negatable = true,
            description = "Scale each vector to unit length (--no-normalize: do not). Default: as the model's "
            + "sentence-transformers modules say (a Normalize module), else not.")
    private Boolean normalize;

    @Option(names = "--features", description = "Print the token features (feature-extraction pipeline) instead of a vector.")
    private boolean features;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Truncate inputs to N tokens (default: sentence_bert_config.json's max_seq_length when shorter "
            + "than the model, else only inputs longer than the model, with a warning).")
    private Integer maxLength;

    private EmbeddingPipeline embeddings;
    private EmbeddingOptions embeddingOptions;
    private FeatureExtractionPipeline featureExtraction;
    private FeatureExtractionOptions featureOptions;

    @Override
    protected Head head() {
        return Head.BASE;
    }

    @Override
    protected InputReader inputs() throws IOException {
        return input.open();
    }

    @Override
    protected void validate() {
        if (pooling != null) {
            Pooling.parse(pooling);
        }
        requireMaxLength(maxLength);
    }

    /** No pooling reads pooler_output, so its absence is no news here. */
    @Override
    protected boolean concerns(String loadWarning) {
        return !loadWarning.equals(LsgModel.NO_POOLER_WEIGHTS);
    }

    @Override
    protected void prepare(TaskModel model, Consumer<String> warnings) {
        if (features) {
            featureExtraction = new FeatureExtractionPipeline(model, warnings);
            featureOptions = FeatureExtractionOptions.defaults().withMaxLength(maxLength).withBatchSize(batchSize());
        } else {
            embeddings = new EmbeddingPipeline(model, warnings);
            EmbeddingOptions defaults = model.sentenceEmbedding();
            embeddingOptions = defaults.withPooling(pooling == null ? defaults.pooling() : Pooling.parse(pooling))
                    .withNormalize(normalize == null ? defaults.normalize() : normalize)
                    .withMaxLength(maxLength == null ? defaults.maxLength() : maxLength).withBatchSize(batchSize());
        }
    }

    @Override
    protected List<?> process(List<InputItem> batch) {
        var inputs = batch.stream().map(InputItem::textInput).toList();
        return features ? featureExtraction.run(inputs, featureOptions) : embeddings.run(inputs, embeddingOptions);
    }
}
