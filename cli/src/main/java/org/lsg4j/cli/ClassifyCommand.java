package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.FunctionToApply;
import org.lsg4j.pipelines.LabelSelection;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.pipelines.TextClassificationOptions;
import org.lsg4j.pipelines.TextClassificationPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** {@code lsg classify}: the Hugging Face text-classification pipeline on a sequence-classification checkpoint. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Label texts or text pairs (the text-classification pipeline). Prints, per input, exactly the "
            + "pipeline's JSON: without --top-k the legacy form ([{label, score}] for a text, a bare {label, "
            + "score} for a pair), with --top-k a list sorted by score.",
        footer = {"", "Examples:",
                "  lsg classify --model DIR \"I loved this movie!\"",
                "  lsg classify --model DIR --top-k all --function-to-apply sigmoid \\", "      \"I loved this movie!\"",
                "  lsg classify --model DIR --pair \"The museum is open every day.\" \\", "      \"Is the museum open on Mondays?\"",
                "  lsg classify --model DIR --top-k 2 --batch-size 4 --input reviews.jsonl"})
final class ClassifyCommand extends PipelineCommand {
    @Mixin
    private TextInputOptions input;

    @Option(names = "--top-k", paramLabel = "N|all",
            description = "Return the N best labels sorted by score, or all of them (top_k=None). Default: legacy top label.")
    private String topK;

    @Option(names = "--function-to-apply", paramLabel = "sigmoid|softmax|none",
            description = "How logits become scores (default: sigmoid for multi-label or 1 label, else softmax).")
    private String functionToApply;

    @Option(names = "--return-all-scores",
            description = "Deprecated pipeline form: all labels in label order (prefer --top-k all).")
    private boolean returnAllScores;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Truncate inputs to N tokens (default: only inputs longer than the model, with a warning).")
    private Integer maxLength;

    private TextClassificationPipeline pipeline;
    private TextClassificationOptions options;

    @Override
    protected Head head() {
        return Head.SEQUENCE_CLASSIFICATION;
    }

    @Override
    protected InputReader inputs() throws IOException {
        return input.open();
    }

    @Override
    protected void validate() {
        labels();
        requireMaxLength(maxLength);
        if (functionToApply != null) {
            FunctionToApply.parse(functionToApply);
        }
    }

    @Override
    protected void prepare(TaskModel model, Consumer<String> warnings) {
        pipeline = new TextClassificationPipeline(model, warnings);
        options = TextClassificationOptions.defaults().withLabels(labels()).withMaxLength(maxLength)
                .withBatchSize(batchSize())
                .withFunctionToApply(functionToApply == null ? null : FunctionToApply.parse(functionToApply));
    }

    private LabelSelection labels() {
        if (topK == null) {
            return returnAllScores ? LabelSelection.allInLabelOrder() : LabelSelection.legacy();
        }
        if (returnAllScores) {
            throw new LsgException("--return-all-scores and --top-k do not go together (--top-k all is the same)");
        }
        if (topK.equals("all")) {
            return LabelSelection.all();
        }
        try {
            return LabelSelection.topK(Integer.parseInt(topK));
        } catch (IllegalArgumentException e) {
            throw new LsgException("--top-k must be a number >= 0 or all, not '" + topK + "'");
        }
    }

    @Override
    protected List<?> process(List<InputItem> batch) {
        return pipeline.runEach(batch.stream().map(InputItem::textInput).toList(), options);
    }
}
