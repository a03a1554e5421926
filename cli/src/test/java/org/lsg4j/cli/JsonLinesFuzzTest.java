package org.lsg4j.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.lsg4j.LsgException;
import org.lsg4j.hub.HubEnvironment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * JSON-lines input, as the commands read it: every line through the reader (going on after a bad
 * line, as --on-error skip does); then, for one input in {@value #CLI_SHARE} (a whole command line
 * costs a hundred times the reading), the whole stream as {@code lsg tokenize --jsonl -}'s stdin,
 * which must exit 0, or 2 with one {@code lsg: error:} line and nothing else on stderr.
 */
class JsonLinesFuzzTest {
    /** One input in this many also runs through the command line (a power of two). */
    private static final int CLI_SHARE = 64;

    private static final Path MODEL;

    static {
        try {
            Path dir = Files.createTempDirectory("lsg4j-fuzz-jsonl");
            dir.toFile().deleteOnExit();
            TinyTaskFolders.tokenizer(dir);
            MODEL = dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void jsonLines(byte[] data) {
        long start = System.nanoTime();
        try (InputReader in = InputReader.jsonLines(new ByteArrayInputStream(data))) {
            for (int n = 0; n < 10_000; n++) {
                try {
                    InputItem item = in.next();
                    if (item == null) {
                        break;
                    }
                    item.textInput();
                    item.string("question", false);
                } catch (LsgException e) {
                    checkLine(e.getMessage());
                }
            }
        }
        if ((java.util.Arrays.hashCode(data) & (CLI_SHARE - 1)) != 0) {
            return;
        }
        HubEnvironment hub = HubEnvironment.of(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent-home"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"tokenize", "--model", MODEL.toString(), "--jsonl", "-"},
                new PrintWriter(out), new PrintWriter(err), new CliContext(hub, new ByteArrayInputStream(data), false, CliRun.TEST_CACHE));
        String[] lines = err.toString().lines().toArray(String[]::new);
        if (exit == 0 ? lines.length != 0 : exit != Main.EXIT_BAD_INPUT || lines.length != 1
                || !lines[0].startsWith("lsg: error: ")) {
            throw new AssertionError("exit " + exit + ", stderr: " + err);
        }
        if ((System.nanoTime() - start) / 1_000_000 > 10_000) {
            throw new AssertionError("one input took over 10 s");
        }
    }

    private static void checkLine(String message) {
        if (message == null || message.isBlank() || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0
                || message.length() > 4000) {
            throw new AssertionError("not one short line: " + message);
        }
    }
}
