package org.lsg4j.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of a text task: texts as arguments (with an optional {@code --pair}), or JSON lines
 * ({@code {"text": ..., "pair": ...}}) from {@code --input FILE}, or from stdin with {@code -}
 * (as the only argument or as {@code --input -}). Mix into a command with
 * {@code @Mixin TextInputOptions input;}.
 */
public final class TextInputOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Texts to process; - reads JSON lines from stdin.")
    private List<String> texts = new ArrayList<>();

    @Option(names = "--pair", paramLabel = "TEXT", description = "Second text of a pair, for every TEXT argument.")
    private String pair;

    @Option(names = "--input", paramLabel = "FILE", description = "JSON lines, one object per line with a \"text\" string and an optional \"pair\"; - for stdin. "
            + "Read as a stream. See --input-format.")
    private String input;

    /** How {@code --input} is read. */
    enum Format {
        /** One JSON object per line. */
        jsonl,
        /** One document per line, as plain text. */
        text,
        /** The whole file is one document. */
        whole
    }

    @Option(names = "--input-format", paramLabel = "jsonl|text|whole",
            description = "jsonl: a JSON object per line; text: a document per line; whole: the whole file is one "
            + "document. Default: whole for a .txt file, else jsonl.")
    private Format format;

    /** Opens the inputs given on the command line. */
    public InputReader open() throws IOException {
        String file = input;
        if (file == null && texts.equals(List.of("-"))) {
            file = "-";
        }
        if (file != null) {
            if (!texts.isEmpty() && input != null) {
                throw new LsgException("give either TEXT arguments or --input FILE, not both");
            }
            if (pair != null) {
                throw new LsgException("--pair goes with TEXT arguments; in JSON lines put \"pair\" in each line");
            }
            Format f = format != null ? format : file.endsWith(".txt") ? Format.whole : Format.jsonl;
            InputStream stdin = CliContext.of(spec).stdin();
            return switch (f) {
                case jsonl -> InputReader.jsonLines(file, stdin);
                case text -> InputReader.textLines(file, stdin);
                case whole -> InputReader.wholeFile(file, stdin);
            };
        }
        if (texts.isEmpty()) {
            throw new LsgException("no input: give TEXT arguments, --input FILE, or - to read JSON lines from stdin");
        }
        List<InputItem> items = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode json = JsonNodeFactory.instance.objectNode().put("text", texts.get(i));
            if (pair != null) {
                json.put("pair", pair);
            }
            items.add(new InputItem("argument " + (i + 1), json));
        }
        return InputReader.of(items);
    }

}
