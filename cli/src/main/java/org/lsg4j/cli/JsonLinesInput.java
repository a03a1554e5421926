package org.lsg4j.cli;

import org.lsg4j.LsgException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code --input FILE|-} for the tasks whose inputs are JSON objects with several fields
 * (question answering, multiple choice): JSON lines from a file or stdin, or else the one input
 * the command builds from its options. Mix into a command with {@code @Mixin JsonLinesInput input;}.
 */
public final class JsonLinesInput {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE", description = "JSON lines, one input object per line; - for stdin. Read as a stream.")
    private String input;

    /**
     * Opens the JSON lines of {@code --input}, or the single input {@code fromOptions} builds.
     *
     * @param optionsGiven whether the command's own input options were used (they exclude --input)
     */
    public InputReader open(boolean optionsGiven, Supplier<InputItem> fromOptions) throws IOException {
        if (input == null) {
            return InputReader.of(List.of(fromOptions.get()));
        }
        if (optionsGiven) {
            throw new LsgException("give the input either with its options or with --input, not both");
        }
        return InputReader.jsonLines(input, CliContext.of(spec).stdin());
    }
}
