package org.lsg4j.cli;

import org.lsg4j.search.SearchIndex;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The indexing line of {@code lsg search} on a terminal, redrawn in place at most five times a second:
 * {@code indexing 12/340 documents, 3,210 tokens/s, ETA 2m10s}. The rate counts tokens read; the ETA
 * comes from the characters left, since the tokens of the documents not yet read are not known.
 */
final class IndexProgress implements SearchIndex.Progress {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter terminal;
    private final long start = System.nanoTime();
    private int documents;
    private long characters;
    private int done;
    private long tokens;
    private long charactersDone;
    private long lastDrawn;
    private boolean drawn;

    /** @param terminal where the line goes (the terminal stderr is on) */
    IndexProgress(PrintWriter terminal) {
        this.terminal = terminal;
    }

    @Override
    public void started(int documents, long characters) {
        this.documents = documents;
        this.characters = characters;
    }

    @Override
    public void embedded(String id, int tokens, long characters) {
        done++;
        this.tokens += tokens;
        charactersDone += characters;
        long now = System.nanoTime();
        if (now - lastDrawn >= REDRAW_NANOS || done == documents) {
            lastDrawn = now;
            terminal.print("\r" + line(done, documents, this.tokens, charactersDone, this.characters, now - start) + "   ");
            terminal.flush();
            drawn = true;
        }
    }

    /** Ends the line, when one was drawn. */
    void finish() {
        if (drawn) {
            terminal.println();
            terminal.flush();
        }
    }

    static String line(int done, int documents, long tokens, long charactersDone, long characters, long nanos) {
        double seconds = Math.max(nanos, 1) / 1e9;
        String eta = charactersDone == 0 ? "?" : duration((characters - charactersDone) * seconds / charactersDone);
        return String.format(Locale.ROOT, "indexing %d/%d documents, %,.0f tokens/s, ETA %s", done, documents,
                tokens / seconds, eta);
    }

    /** {@code 42s}, {@code 3m05s} or {@code 2h07m}. */
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
