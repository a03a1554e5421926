package org.lsg4j.hub;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws one line per file, redrawn in place with a carriage return:
 * {@code model.safetensors  [########            ]  42%  210.3/500.0 MB}. Meant for a terminal;
 * the caller decides whether there is one. Thread-safe.
 */
public final class TextProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private static final double MB = 1024.0 * 1024.0;

    private final PrintStream out;
    private String currentFile;
    private int lastPercent = -1;
    private long lastDrawnMb = -1;

    /** Writes to the given stream, normally {@code System.err}. */
    public TextProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void progress(String file, long done, long total) {
        int percent = total > 0 ? (int) Math.min(100, done * 100 / total) : -1;
        long doneMb = (long) (done / MB);
        if (file.equals(currentFile) && percent == lastPercent && (total > 0 || doneMb == lastDrawnMb)) {
            return;
        }
        currentFile = file;
        lastPercent = percent;
        lastDrawnMb = doneMb;
        out.print("\r" + line(file, done, total));
        out.flush();
    }

    @Override
    public synchronized void finished(String file) {
        if (file.equals(currentFile)) {
            out.println();
            out.flush();
        }
        currentFile = null;
        lastPercent = -1;
        lastDrawnMb = -1;
    }

    /** The text of one bar, without the carriage return. */
    static String line(String file, long done, long total) {
        if (total <= 0) {
            return String.format(Locale.ROOT, "%s  %.1f MB", file, done / MB);
        }
        int filled = (int) (WIDTH * Math.min(done, total) / total);
        return String.format(Locale.ROOT, "%s  [%s%s] %3d%%  %.1f/%.1f MB", file, "#".repeat(filled),
                " ".repeat(WIDTH - filled), Math.min(100, done * 100 / total), done / MB, total / MB);
    }
}
