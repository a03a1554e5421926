package org.lsg4j.cli;

import org.lsg4j.hub.DefaultModel;
import org.lsg4j.hub.HubEnvironment;
import picocli.CommandLine.Model.CommandSpec;

import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * What a command takes from its surroundings: the Hub settings, lsg4j's own cache (where the default
 * model is made), standard input and whether stderr is a terminal (progress is drawn only then). {@link #system()} reads the real process;
 * tests pass their own through {@link Main#run(String[], java.io.PrintWriter, java.io.PrintWriter, CliContext)}.
 *
 * @param hub the Hub cache and endpoint settings ({@code HF_HOME}, {@code HF_HUB_CACHE}, ...)
 * @param stdin what {@code -} reads
 * @param terminal whether the user watches stderr on a terminal
 * @param lsgCache lsg4j's cache folder (see {@link DefaultModel#cacheRoot})
 */
public record CliContext(HubEnvironment hub, InputStream stdin, boolean terminal, Path lsgCache) {

    /** This process: its environment variables, {@code System.in}, and whether stderr is a terminal. */
    public static CliContext system() {
        return new CliContext(HubEnvironment.system(), System.in, stderrIsTerminal(),
                DefaultModel.cacheRoot(System.getenv()));
    }

    /**
     * Whether stderr (file descriptor 2) is a terminal, whatever stdout is. The {@code lsg} launcher
     * tests it itself ({@code [ -t 2 ]}) and says so in {@code -Dlsg.stderr.terminal}, since it passes
     * stderr through a filter; otherwise C's {@code isatty(2)} answers, through the foreign function
     * API (the jar's manifest enables native access, so this prints no warning). The JDK's
     * {@code System.console()} speaks only of stdin and stdout.
     */
    static boolean stderrIsTerminal() {
        String told = System.getProperty("lsg.stderr.terminal");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle isatty = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.invokeExact(2) == 1;
        } catch (Throwable e) {
            // no isatty (or native access refused): draw nothing rather than garble a log
            return false;
        }
    }

    /** The context of the command line a command runs in. */
    static CliContext of(CommandSpec spec) {
        return ((Main) spec.root().userObject()).context();
    }
}
