package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.lsg4j.LsgException;
import org.lsg4j.io.Limits;
import org.lsg4j.io.LineReader;
import org.lsg4j.io.StrictJson;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * Streams the inputs of a command one at a time: JSON lines read line by line (blank lines are
 * skipped), or a fixed list built from the arguments. A file and stdin are read alike, by a
 * {@link LineReader}: each line at most {@link Limits#LINE_BYTES}, valid UTF-8, and exactly one
 * JSON object ({@link StrictJson}: a second object on the same line is an error, not dropped). A
 * malformed line is reported when it is reached, as an {@link LsgException} naming its line
 * number; reading can go on after it.
 */
public final class InputReader implements AutoCloseable {
    private final LineReader lines;
    private final boolean textLines;      // each line is a document, not a JSON object
    private final Iterator<InputItem> fixed;
    /** The number of inputs when known (a list, or counted in a file on first ask), else -1. */
    private final java.util.function.LongSupplier total;

    private InputReader(LineReader lines, Iterator<InputItem> fixed, java.util.function.LongSupplier total) {
        this(lines, false, fixed, total);
    }

    private InputReader(LineReader lines, boolean textLines, Iterator<InputItem> fixed, java.util.function.LongSupplier total) {
        this.lines = lines;
        this.textLines = textLines;
        this.fixed = fixed;
        this.total = total;
    }

    /** How many inputs there are, or -1 when that is not known before reading them (stdin); for progress. */
    public long total() {
        return total.getAsLong();
    }

    /** The non-blank lines of a file, counted in one pass over its bytes (for a progress ETA; -1 when unreadable). */
    private static long countLines(Path path) {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            long count = 0;
            boolean content = false;
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n') {
                    count += content ? 1 : 0;
                    content = false;
                } else if (b > ' ') {
                    content = true;
                }
            }
            return count + (content ? 1 : 0);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Reads JSON lines from a stream, one object per line. */
    public static InputReader jsonLines(InputStream in) {
        return new InputReader(new LineReader(in, "", Limits.LINE_BYTES), null, () -> -1);
    }

    /**
     * The JSON lines of {@code --input}: the file, or {@code stdin} for {@code -}; read lazily.
     *
     * @throws LsgException when the file does not exist or is not a regular file
     */
    public static InputReader jsonLines(String fileOrDash, InputStream stdin) throws IOException {
        if (fileOrDash.equals("-")) {
            return jsonLines(stdin);
        }
        Path path = Path.of(fileOrDash);
        if (!Files.exists(path)) {
            throw new LsgException("--input file " + path.toAbsolutePath() + " does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new LsgException("--input " + path.toAbsolutePath() + " is not a regular file (to stream from a pipe,"
                    + " give - and send it to stdin)");
        }
        long[] counted = {-2};
        return new InputReader(new LineReader(Files.newInputStream(path), "", Limits.LINE_BYTES), null, () -> {
            if (counted[0] == -2) {
                counted[0] = countLines(path);
            }
            return counted[0];
        });
    }

    /**
     * {@code --input-format text}: every non-blank line of the file (or of stdin, for {@code -}) is
     * one document, its {@code text}, read as the JSON lines are (UTF-8, bounded line length).
     */
    public static InputReader textLines(String fileOrDash, InputStream stdin) throws IOException {
        InputReader json = jsonLines(fileOrDash, stdin);
        return new InputReader(json.lines, true, null, json.total);
    }

    /**
     * {@code --input-format whole} (the default for a {@code .txt} file): the whole file, or all of
     * stdin, is one document. It must be UTF-8; the
     * truncation rules of the task apply to it as to any input.
     */
    public static InputReader wholeFile(String fileOrDash, InputStream stdin) throws IOException {
        byte[] bytes;
        String where;
        if (fileOrDash.equals("-")) {
            bytes = stdin.readAllBytes();
            where = "stdin";
        } else {
            Path path = Path.of(fileOrDash);
            if (!Files.isRegularFile(path)) {
                throw new LsgException("--input file " + path.toAbsolutePath() + " does not exist or is not a regular file");
            }
            bytes = Files.readAllBytes(path);
            where = path.toString();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new LsgException(where + ": not UTF-8 text");
        }
        return of(List.of(new InputItem(where, JsonNodeFactory.instance.objectNode()
                .put("text", text))));
    }

    /** Gives the items in order. */
    public static InputReader of(List<InputItem> items) {
        return new InputReader(null, items.iterator(), () -> items.size());
    }

    /**
     * The next input, or null at the end.
     *
     * @throws LsgException when the line is too long, not UTF-8 or not one JSON object (the next
     *     call reads the line after it)
     */
    public InputItem next() {
        if (fixed != null) {
            return fixed.hasNext() ? fixed.next() : null;
        }
        String line;
        do {
            line = lines.next();
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        String where = lines.where(lines.lineNumber());
        if (textLines) {
            return new InputItem(where, JsonNodeFactory.instance.objectNode().put("text", line));
        }
        JsonNode node = StrictJson.parseLine(line, where);
        if (!node.isObject()) {
            throw new LsgException(where + ": expected a JSON object, found " + StrictJson.kind(node));
        }
        return new InputItem(where, node);
    }

    @Override
    public void close() {
        if (lines != null) {
            lines.close();
        }
    }
}
