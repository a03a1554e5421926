package org.lsg4j.cli;

import java.io.PrintStream;

/**
 * A one-line count of processed inputs on stderr, redrawn in place after each batch; drawn only
 * when stderr is a terminal, so that redirected output stays clean.
 */
final class BatchProgress {
    private final PrintStream terminal;   // null when there is no terminal
    private int done;
    private int skipped;

    BatchProgress(CliContext context) {
        this.terminal = context.terminal() ? System.err : null;
    }

    void advance(int processed, int newlySkipped) {
        done += processed;
        skipped += newlySkipped;
        if (terminal != null) {
            terminal.print("\r" + done + " inputs done" + (skipped > 0 ? ", " + skipped + " skipped" : ""));
            terminal.flush();
        }
    }

    void finish() {
        if (terminal != null && done + skipped > 0) {
            terminal.println();
        }
    }
}
