package org.lsg4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress report on stderr: inputs done (of how many, when known), skipped, the rate
 * and the time left. Drawn only when stderr is a terminal, whatever stdout is: {@code lsg embed
 * --input docs.jsonl > out.jsonl} shows it, a script capturing stderr does not get it. The line is
 * redrawn in place after each batch and erased ({@code \r} and erase-to-end-of-line) before any
 * other line is written, so results and warnings never share a line with it when stdout is on the
 * same terminal.
 */
final class BatchProgress {
    private static final String ERASE = "\r\033[K";

    private final PrintWriter terminal;   // null when stderr is not a terminal
    private final long total;             // -1 when unknown (stdin)
    private final LongSupplier nanos;
    private final long start;
    private long done;
    private long skipped;
    private boolean drawn;

    BatchProgress(PrintWriter err, boolean terminal, long total, LongSupplier nanos) {
        this.terminal = terminal ? err : null;
        this.total = total;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    /** Counts a batch's outcome and redraws the line. */
    void advance(int processed, int newlySkipped) {
        done += processed;
        skipped += newlySkipped;
        if (terminal != null) {
            terminal.print(ERASE + line());
            terminal.flush();
            drawn = true;
        }
    }

    /** Erases the line, if drawn, so that another line can be written (it comes back at the next batch). */
    void clear() {
        if (drawn) {
            terminal.print(ERASE);
            terminal.flush();
            drawn = false;
        }
    }

    /** Leaves a last line with the totals and the rate. */
    void finish() {
        if (terminal != null && done + skipped > 0) {
            clear();
            terminal.println(line());
            terminal.flush();
        }
    }

    /** {@code 120/1000 inputs, 2 skipped, 35.2/s, 25s left}. */
    String line() {
        long seen = done + skipped;
        double seconds = Math.max(1e-9, (nanos.getAsLong() - start) / 1e9);
        double rate = seen / seconds;
        StringBuilder b = new StringBuilder().append(seen);
        if (total >= 0) {
            b.append('/').append(total);
        }
        b.append(seen == 1 && total < 0 ? " input" : " inputs");
        if (skipped > 0) {
            b.append(", ").append(skipped).append(" skipped");
        }
        b.append(", ").append(String.format(Locale.ROOT, rate >= 10 ? "%.0f/s" : "%.2f/s", rate));
        if (total > seen && rate > 0) {
            b.append(", ").append(duration((total - seen) / rate)).append(" left");
        }
        return b.toString();
    }

    /** 45s, 3m05s, 2h07m. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
