package org.lsg4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.LsgException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * Streams the inputs of a command one at a time: JSON lines read line by line (blank lines are
 * skipped), or a fixed list built from the arguments. A malformed line is reported when it is
 * reached, as an {@link LsgException} naming its line number; reading can go on after it.
 */
public final class InputReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedReader lines;
    private final Iterator<InputItem> fixed;
    private int lineNo;

    private InputReader(BufferedReader lines, Iterator<InputItem> fixed) {
        this.lines = lines;
        this.fixed = fixed;
    }

    /** Reads JSON lines, one object per line. */
    public static InputReader jsonLines(BufferedReader lines) {
        return new InputReader(lines, null);
    }

    /** Gives the items in order. */
    /**
     * The JSON lines of {@code --input}: the file, or {@code stdin} for {@code -}; read lazily.
     *
     * @throws LsgException when the file does not exist
     */
    public static InputReader jsonLines(String fileOrDash, InputStream stdin) throws IOException {
        if (fileOrDash.equals("-")) {
            return jsonLines(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)));
        }
        Path path = Path.of(fileOrDash);
        if (!Files.isRegularFile(path)) {
            throw new LsgException("--input file " + path.toAbsolutePath() + " does not exist");
        }
        return jsonLines(Files.newBufferedReader(path, StandardCharsets.UTF_8));
    }

    public static InputReader of(List<InputItem> items) {
        return new InputReader(null, items.iterator());
    }

    /**
     * The next input, or null at the end.
     *
     * @throws LsgException when the line is not a JSON object (the next call reads the line after it)
     */
    public InputItem next() {
        if (fixed != null) {
            return fixed.hasNext() ? fixed.next() : null;
        }
        String line;
        do {
            line = readLine();
            if (line == null) {
                return null;
            }
            lineNo++;
        } while (line.isBlank());
        return parse(line);
    }

    private InputItem parse(String line) {
        String where = "line " + lineNo;
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new LsgException(where + ": malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new LsgException(where + ": expected a JSON object, found " + (node == null ? "nothing" : node.getNodeType()));
        }
        return new InputItem(where, node);
    }

    private String readLine() {
        try {
            return lines.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read line " + (lineNo + 1) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (lines != null) {
            try {
                lines.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
