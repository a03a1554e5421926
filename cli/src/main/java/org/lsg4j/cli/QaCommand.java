package org.lsg4j.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.Answer;
import org.lsg4j.pipelines.QuestionAnsweringOptions;
import org.lsg4j.pipelines.QuestionAnsweringPipeline;
import org.lsg4j.pipelines.QuestionContext;
import org.lsg4j.pipelines.TaskModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** {@code lsg qa}: the Hugging Face question-answering pipeline on a question-answering checkpoint. */
@Command(name = "qa", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Extract the answer to a question from a context (the question-answering pipeline). Prints, per "
            + "input, the pipeline's JSON: {score, start, end, answer}, or a list of them sorted by score when "
            + "--top-k gives more than one. start/end are character offsets into the context (Java String "
            + "indices). A context longer than the model is read in windows overlapping by --doc-stride "
            + "tokens.",
        footer = {"", "Examples:",
                "  lsg qa --model DIR --question \"Where do I live?\" --context \\", "      \"My name is Wolfgang and I live in Berlin.\"",
                "  lsg qa --model DIR --top-k 3 --handle-impossible-answer --input \\", "      questions.jsonl",
                "  (JSON lines: {\"question\": \"...\", \"context\": \"...\"})"})
final class QaCommand extends PipelineCommand {
    @Option(names = "--question", paramLabel = "TEXT", description = "The question (with --context).")
    private String question;

    @Option(names = "--context", paramLabel = "TEXT", description = "The text to find the answer in (with --question).")
    private String context;

    @Mixin
    private JsonLinesInput input;

    @Option(names = "--top-k", paramLabel = "N", defaultValue = "1",
            description = "Number of answers, best first (default: ${DEFAULT-VALUE}).")
    private int topK;

    @Option(names = "--max-answer-len", paramLabel = "N", defaultValue = "15",
            description = "Longest answer, in tokens (default: ${DEFAULT-VALUE}).")
    private int maxAnswerLen;

    @Option(names = "--handle-impossible-answer",
            description = "Also consider \"no answer\" (an empty answer at 0..0).")
    private boolean handleImpossibleAnswer;

    @Option(names = "--doc-stride", paramLabel = "N",
            description = "Overlap in tokens of the windows over a long context (default: min(max-seq-len / 2, 128)).")
    private Integer docStride;

    @Option(names = "--max-seq-len", paramLabel = "N",
            description = "Tokens per model input, question included (default: all the model takes).")
    private Integer maxSeqLen;

    @Option(names = "--align-to-words", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Widen answers to whole words, as Hugging Face's align_to_words (default: ${DEFAULT-VALUE}).")
    private boolean alignToWords;

    private QuestionAnsweringPipeline pipeline;
    private QuestionAnsweringOptions options;

    @Override
    protected Head head() {
        return Head.QUESTION_ANSWERING;
    }

    @Override
    protected InputReader inputs() throws IOException {
        boolean given = question != null || context != null;
        return input.open(given, () -> {
            if (question == null || context == null) {
                throw new LsgException("give --question and --context, or JSON lines with --input FILE|-");
            }
            return new InputItem("arguments", JsonNodeFactory.instance.objectNode()
                    .put("question", question).put("context", context));
        });
    }

    @Override
    protected void prepare(TaskModel model, Consumer<String> warnings) {
        pipeline = new QuestionAnsweringPipeline(model);
        if (topK < 1 || maxAnswerLen < 1) {
            throw new LsgException("--top-k and --max-answer-len must be at least 1");
        }
        options = new QuestionAnsweringOptions(topK, maxAnswerLen, handleImpossibleAnswer,
                docStride == null ? -1 : docStride, maxSeqLen == null ? -1 : maxSeqLen, alignToWords);
    }

    @Override
    protected List<?> process(List<InputItem> batch) {
        List<QuestionContext> inputs = batch.stream()
                .map(item -> new QuestionContext(item.string("question", true), item.string("context", true))).toList();
        return pipeline.run(inputs, options, batchSize()).stream().map(QaCommand::asPipelinePrints).toList();
    }

    /** A single answer is printed bare, several as a list, as the Hugging Face pipeline returns them. */
    private static Object asPipelinePrints(List<Answer> answers) {
        return answers.size() == 1 ? answers.get(0) : answers;
    }
}
