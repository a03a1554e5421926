package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The {@code lsg} command. Exit codes: 0 success, 1 internal error, 2 bad input (a missing or
 * malformed file, a bad option), each reported as one line on stderr, 3 outputs differing from a
 * reference ({@code lsg forward --compare}).
 */
@Command(name = "lsg", mixinStandardHelpOptions = true, versionProvider = Main.VersionText.class,
        description = "Run LSG (Local + Sparse + Global) attention transformers on the JVM.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ForwardCommand.class,
                TokenizeCommand.class,
                FillMaskCommand.class,
                ClassifyCommand.class,
                EmbedCommand.class,
                SearchCommand.class,
                InfoCommand.class,
                ConvertCommand.class,
                TrainStepsCommand.class,
                TrainCommand.class,
                TokenClassifyCommand.class,
                QaCommand.class,
                MultipleChoiceCommand.class,
                BenchCommand.class,
                ServeCommand.class,
                DownloadCommand.class,
                CompletionCommand.class,
        })
public final class Main {
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_MISMATCH = 3;

    private final CliContext context;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only results and errors: no warnings, no progress, no notes on stderr.")
    private boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "On an internal error, print its whole stack trace.")
    private boolean verbose;

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
        Main main = new Main(context);
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setUsageHelpAutoWidth(true);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            // one line and where to look, not the whole usage
            CommandLine where = ex.getCommandLine();
            where.getErr().println("lsg: error: " + LsgException.oneLine(ex.getMessage())
                    + " (see: " + where.getCommandSpec().qualifiedName() + " --help)");
            where.getErr().flush();
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionStrategy(parseResult -> {
            if (main.quiet) {
                PrintWriter quiet = new QuietErr(err);
                parseResult.asCommandLineList().forEach(c -> c.setErr(quiet));
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof LsgException || ex instanceof UncheckedIOException) {
                commandLine.getErr().println("lsg: error: " + LsgException.oneLine(ex.getMessage()));
                return EXIT_BAD_INPUT;
            }
            if (main.verbose) {
                ex.printStackTrace(commandLine.getErr());
            }
            return internal(commandLine.getErr(), ex);
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // an Error passes picocli's handler: still one line, never a trace
            err.flush();
            return internal(err, e);
        }
    }

    /** A bug (or the JVM out of memory): one line naming it, exit code 1. */
    private static int internal(PrintWriter err, Throwable ex) {
        StackTraceElement at = ex.getStackTrace().length == 0 ? null : ex.getStackTrace()[0];
        err.println("lsg: internal error: " + LsgException.oneLine(ex.toString())
                + (at == null ? "" : " (at " + at + ")")
                + (ex instanceof OutOfMemoryError ? "; give the JVM more memory with LSG_JAVA_OPTS=-Xmx..." : ""));
        err.flush();
        return EXIT_INTERNAL;
    }

    /** {@code lsg -V}: the version the build wrote into lsg4j-core (the pom's). */
    static final class VersionText implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lsg4j " + Version.version()};
        }
    }

    /** The surroundings the commands run in (with -q, no terminal: no progress is drawn). */
    CliContext context() {
        return quiet ? new CliContext(context.hub(), context.stdin(), false, context.lsgCache()) : context;
    }

    /**
     * stderr under {@code -q}: what reports a failure (errors, skipped inputs) goes through; the
     * other lines of lsg ({@code lsg: warning: ...}, notes such as the default model's stages) do not.
     */
    private static final class QuietErr extends PrintWriter {
        QuietErr(PrintWriter err) {
            super(err, true);
        }

        @Override
        public void println(String line) {
            if (!line.startsWith("lsg: ") || line.startsWith("lsg: error") || line.startsWith("lsg: internal error")
                    || line.contains("skipped")) {
                super.println(line);
            }
        }
    }
}
