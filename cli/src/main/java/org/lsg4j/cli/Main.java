package org.lsg4j.cli;

import org.lsg4j.LsgException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The {@code lsg} command. Exit codes: 0 success, 1 internal error, 2 bad input (a missing or
 * malformed file, a bad option), each reported as one line on stderr, 3 outputs differing from a
 * reference ({@code lsg forward --compare}).
 */
@Command(name = "lsg", mixinStandardHelpOptions = true, version = "lsg4j 0.1.0",
        description = "Run LSG (Local + Sparse + Global) attention transformers on the JVM.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ForwardCommand.class,
                TokenizeCommand.class,
                FillMaskCommand.class,
                ClassifyCommand.class,
                EmbedCommand.class,
                InfoCommand.class,
                ConvertCommand.class,
                TrainStepsCommand.class,
                TrainCommand.class,
                TokenClassifyCommand.class,
                QaCommand.class,
                MultipleChoiceCommand.class,
                BenchCommand.class,
                ServeCommand.class,
        })
public final class Main {
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_MISMATCH = 3;

    private final CliContext context;

    private Main(CliContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams in this process's context; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, CliContext.system());
    }

    /**
     * Runs the command line with the given output streams and context (Hub settings, stdin,
     * terminal); returns the exit code.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, CliContext context) {
        CommandLine cli = new CommandLine(new Main(context));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof LsgException || ex instanceof UncheckedIOException) {
                commandLine.getErr().println("lsg: error: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            commandLine.getErr().println("lsg: internal error: " + ex);
            return EXIT_INTERNAL;
        });
        return cli.execute(args);
    }

    /** The surroundings the commands run in. */
    CliContext context() {
        return context;
    }
}
