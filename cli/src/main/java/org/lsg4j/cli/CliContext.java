package org.lsg4j.cli;

import org.lsg4j.hub.DefaultModel;
import org.lsg4j.hub.HubEnvironment;
import picocli.CommandLine.Model.CommandSpec;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * What a command takes from its surroundings: the Hub settings, lsg4j's own cache (where the default
 * model is made), standard input and whether stderr is a terminal (progress bars are drawn only then). {@link #system()} reads the real process;
 * tests pass their own through {@link Main#run(String[], java.io.PrintWriter, java.io.PrintWriter, CliContext)}.
 *
 * @param hub the Hub cache and endpoint settings ({@code HF_HOME}, {@code HF_HUB_CACHE}, ...)
 * @param stdin what {@code -} reads
 * @param terminal whether the user watches stderr on a terminal
 * @param lsgCache lsg4j's cache folder (see {@link DefaultModel#cacheRoot})
 */
public record CliContext(HubEnvironment hub, InputStream stdin, boolean terminal, Path lsgCache) {

    /** This process: its environment variables, {@code System.in}, and a terminal when there is a console. */
    public static CliContext system() {
        return new CliContext(HubEnvironment.system(), System.in, System.console() != null,
                DefaultModel.cacheRoot(System.getenv()));
    }

    /** The context of the command line a command runs in. */
    static CliContext of(CommandSpec spec) {
        return ((Main) spec.root().userObject()).context();
    }
}
