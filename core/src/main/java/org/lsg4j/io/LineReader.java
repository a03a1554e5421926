package org.lsg4j.io;

import org.lsg4j.LsgException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads text lines from a stream with bounded memory: a line ends at LF, CR LF or a lone CR (as
 * {@link java.io.BufferedReader#readLine()} splits), holds at most a given number of bytes, and
 * must be valid UTF-8 (see {@link Utf8}). A line that breaks a rule is consumed up to its end
 * and refused with an {@link LsgException} naming its number; the next call reads the line after
 * it. Files and stdin go through the same reader, so they are read alike. Not thread-safe.
 */
public final class LineReader implements AutoCloseable {
    private final InputStream in;
    private final String source;
    private final int maxLineBytes;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private boolean afterCr;
    private byte[] line = new byte[256];
    private int length;
    private boolean tooLong;
    private boolean started;
    private int lineNo;

    /**
     * @param source names the stream in messages ({@code "/data/merges.txt"}), or "" for messages
     *               that start with the line number alone ({@code "line 3: ..."})
     */
    public LineReader(InputStream in, String source, int maxLineBytes) {
        this.in = in;
        this.source = source;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its terminator, or null at the end of the stream.
     *
     * @throws LsgException for a line longer than the limit or not valid UTF-8 (the reader then
     *     stands after that line)
     */
    public String next() {
        while (true) {
            if (pos == limit) {
                if (!fill()) {
                    return started ? finish() : null;
                }
            }
            if (afterCr) {
                afterCr = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int end = pos;
            while (end < limit && buf[end] != '\n' && buf[end] != '\r') {
                end++;
            }
            append(pos, end);
            started = true;
            if (end < limit) {
                afterCr = buf[end] == '\r';
                pos = end + 1;
                return finish();
            }
            pos = end;
        }
    }

    /** The number of the line last returned or refused (1 for the first). */
    public int lineNumber() {
        return lineNo;
    }

    /** How a line is named in messages: {@code "line 3"} or {@code "<source> line 3"}. */
    public String where(int number) {
        return source.isEmpty() ? "line " + number : source + " line " + number;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new LsgException((source.isEmpty() ? "input" : source) + ": cannot close (" + e.getMessage() + ")", e);
        }
    }

    private boolean fill() {
        if (eof) {
            return false;
        }
        try {
            int n;
            do {
                n = in.read(buf, 0, buf.length);
            } while (n == 0);
            if (n < 0) {
                eof = true;
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        } catch (IOException e) {
            throw new LsgException(where(lineNo + 1) + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private void append(int from, int to) {
        int n = to - from;
        if (tooLong || n == 0) {
            return;
        }
        if ((long) length + n > maxLineBytes) {
            tooLong = true;
            return;
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxLineBytes, Math.max(2L * line.length, length + n)));
        }
        System.arraycopy(buf, from, line, length, n);
        length += n;
    }

    private String finish() {
        lineNo++;
        started = false;
        int n = length;
        boolean wasTooLong = tooLong;
        byte[] bytes = line;
        length = 0;
        tooLong = false;
        if (line.length > 1 << 20) {
            line = new byte[256];   // do not keep a large buffer for the short lines that follow
        }
        if (wasTooLong) {
            throw new LsgException(where(lineNo) + ": longer than " + Limits.bytes(maxLineBytes)
                    + ", the most lsg4j reads in one line");
        }
        int bad = Utf8.firstInvalid(bytes, 0, n);
        if (bad >= 0) {
            throw new LsgException(where(lineNo) + ": invalid UTF-8 at byte " + bad + " of the line: "
                    + String.format("0x%02x", bytes[bad] & 0xff));
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
