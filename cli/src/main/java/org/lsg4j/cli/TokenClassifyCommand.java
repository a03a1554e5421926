package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.AggregationStrategy;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.pipelines.TokenClassificationOptions;
import org.lsg4j.pipelines.TokenClassificationPipeline;
import org.lsg4j.tokenizer.TextInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@code lsg token-classify}: the Hugging Face token-classification pipeline on a token-classification checkpoint. */
@Command(name = "token-classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Tag the tokens of texts: named entities, parts of speech (the token-classification pipeline). "
            + "Prints, per input, the pipeline's JSON list: {entity, score, index, word, start, end} per "
            + "token, or with an aggregation strategy {entity_group, score, word, start, end} per group. "
            + "start/end are character offsets (Java String indices). A text longer than the model is read in "
            + "overlapping windows (--stride) whose entities are merged.",
        footer = {"", "Examples:",
                "  lsg token-classify --model DIR \"Ada Lovelace was born in London.\"",
                "  lsg token-classify --model DIR --aggregation-strategy simple \\", "      --ignore-labels O,MISC \"...\"",
                "  lsg token-classify --model DIR --aggregation-strategy first --input \\", "      docs.jsonl"})
final class TokenClassifyCommand extends PipelineCommand {
    @Mixin
    private TextInputOptions input;

    @Option(names = "--aggregation-strategy", paramLabel = "none|simple|first|average|max", defaultValue = "none",
            description = "How tokens become entities (default: ${DEFAULT-VALUE}).")
    private String aggregationStrategy;

    @Option(names = "--ignore-labels", paramLabel = "L1,L2", split = ",", defaultValue = "O",
            description = "Labels left out of the results (default: ${DEFAULT-VALUE}); --ignore-labels= keeps all.")
    private List<String> ignoreLabels = new ArrayList<>();

    @Option(names = "--stride", paramLabel = "N",
            description = "Overlap in tokens of the windows over a long text (default: min(128, window / 2)).")
    private Integer stride;

    private TokenClassificationPipeline pipeline;
    private TokenClassificationOptions options;

    @Override
    protected Head head() {
        return Head.TOKEN_CLASSIFICATION;
    }

    @Override
    protected InputReader inputs() throws IOException {
        return input.open();
    }

    @Override
    protected void prepare(TaskModel model, Consumer<String> warnings) {
        pipeline = new TokenClassificationPipeline(model);
        if (stride != null && stride < 0) {
            throw new LsgException("--stride must be at least 0, got " + stride);
        }
        options = new TokenClassificationOptions(AggregationStrategy.parse(aggregationStrategy),
                ignoreLabels.stream().filter(l -> !l.isEmpty()).toList(), stride == null ? -1 : stride);
    }

    @Override
    protected List<?> process(List<InputItem> batch) {
        List<String> texts = new ArrayList<>(batch.size());
        for (InputItem item : batch) {
            TextInput in = item.textInput();
            if (in.pair() != null) {
                throw new LsgException(item.where() + ": token classification takes single texts, not pairs");
            }
            texts.add(in.text());
        }
        return pipeline.run(texts, options, batchSize());
    }
}
