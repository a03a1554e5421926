package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.FillMaskOptions;
import org.lsg4j.pipelines.FillMaskPipeline;
import org.lsg4j.pipelines.TaskModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** {@code lsg fill-mask}: the Hugging Face fill-mask pipeline on a masked-LM checkpoint. */
@Command(name = "fill-mask", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Propose the most likely tokens for each <mask> of a text (the fill-mask pipeline). Prints, per "
            + "input, exactly the pipeline's JSON: a list of {score, token, token_str, sequence} for one mask, "
            + "a list of such lists for several.",
        footer = {"", "Examples:",
                "  lsg fill-mask --model ccdv/lsg-distilroberta-base-4096 \\", "      \"Paris is the <mask> of France.\"",
                "  lsg fill-mask --model DIR --top-k 3 --targets ' capital,Ġcity' \\", "      \"Paris is the <mask> of France.\"",
                "  lsg fill-mask --model DIR --batch-size 8 --input docs.jsonl > \\", "      proposals.jsonl"})
final class FillMaskCommand extends PipelineCommand {
    @Mixin
    private TextInputOptions input;

    @Option(names = "--top-k", paramLabel = "N", defaultValue = "5",
            description = "Proposals per mask (default: ${DEFAULT-VALUE}).")
    private int topK;

    @Option(names = "--targets", paramLabel = "A,B", split = ",",
            description = "Score only these candidates (vocabulary entries, else their first piece).")
    private List<String> targets;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Truncate inputs to N tokens (default: only inputs longer than the model, with a warning).")
    private Integer maxLength;

    private FillMaskPipeline.Configured pipeline;

    @Override
    protected Head head() {
        return Head.MASKED_LM;
    }

    @Override
    protected InputReader inputs() throws IOException {
        return input.open();
    }

    @Override
    protected void validate() {
        if (topK < 1) {
            throw new LsgException("--top-k must be at least 1, got " + topK);
        }
        requireMaxLength(maxLength);
    }

    @Override
    protected void prepare(TaskModel model, Consumer<String> warnings) {
        pipeline = new FillMaskPipeline(model, warnings).configure(FillMaskOptions.defaults().withTopK(topK)
                .withTargets(targets).withMaxLength(maxLength).withBatchSize(batchSize()));
    }

    @Override
    protected List<?> process(List<InputItem> batch) {
        return pipeline.run(batch.stream().map(item -> item.string("text", true)).toList());
    }
}
