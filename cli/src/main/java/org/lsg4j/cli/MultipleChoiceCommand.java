package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.MultipleChoicePipeline;
import org.lsg4j.pipelines.TaskModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@code lsg multiple-choice}: score the choices of a prompt with a multiple-choice checkpoint. */
@Command(name = "multiple-choice", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Pick the choice that best follows or answers a prompt (a multiple-choice head). Hugging Face "
            + "has no pipeline for it. Each choice is paired with the prompt, <s> prompt </s></s> choice </s>. "
            + "Prints, per input, {\"choices\": [...], \"scores\": [...], \"best\": i}: the softmax over the "
            + "choices and the best index.",
        footer = {"", "Examples:",
                "  lsg multiple-choice --model DIR --prompt \"The cat sat on the\" --choice \\", "      mat. --choice moon.",
                "  lsg multiple-choice --model DIR --input items.jsonl",
                "  (JSON lines: {\"prompt\": \"...\", \"choices\": [\"...\", \"...\"]})"})
final class MultipleChoiceCommand extends PipelineCommand {
    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt (with --choice).")
    private String prompt;

    @Option(names = "--choice", paramLabel = "TEXT", description = "A choice; repeat for each.")
    private List<String> choices = new ArrayList<>();

    @Mixin
    private JsonLinesInput input;

    private MultipleChoicePipeline pipeline;

    @Override
    protected Head head() {
        return Head.MULTIPLE_CHOICE;
    }

    @Override
    protected InputReader inputs() throws IOException {
        return input.open(prompt != null || !choices.isEmpty(), () -> {
            if (prompt == null || choices.isEmpty()) {
                throw new LsgException("give --prompt and at least one --choice, or JSON lines with --input FILE|-");
            }
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            choices.forEach(list::add);
            return new InputItem("arguments", JsonNodeFactory.instance.objectNode().put("prompt", prompt)
                    .set("choices", list));
        });
    }

    @Override
    protected void prepare(TaskModel model, Consumer<String> warnings) {
        pipeline = new MultipleChoicePipeline(model, warnings);
    }

    @Override
    protected List<?> process(List<InputItem> batch) {
        return batch.stream().map(item -> pipeline.run(item.string("prompt", true), choicesOf(item))).toList();
    }

    private static List<String> choicesOf(InputItem item) {
        JsonNode node = item.json().get("choices");
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new LsgException(item.where() + ": expected a non-empty array of strings \"choices\"");
        }
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode c : node) {
            if (!c.isTextual()) {
                throw new LsgException(item.where() + ": \"choices\" must hold strings, found " + c);
            }
            out.add(c.textValue());
        }
        return out;
    }
}
