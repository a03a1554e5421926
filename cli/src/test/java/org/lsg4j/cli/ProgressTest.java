package org.lsg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lsg4j.hub.HubEnvironment;

/** The progress line: what it says, and that it never lands in the results or on a warning's line. */
class ProgressTest {
    @Test
    void countTotalRateAndTimeLeft() {
        long[] now = {0};
        StringWriter text = new StringWriter();
        BatchProgress p = new BatchProgress(new PrintWriter(text), true, 10, () -> now[0]);
        now[0] = 1_000_000_000L;
        p.advance(2, 0);
        assertEquals("2/10 inputs, 2.00/s, 4s left", p.line());
        now[0] = 2_000_000_000L;
        p.advance(1, 1);
        assertEquals("4/10 inputs, 1 skipped, 2.00/s, 3s left", p.line());
        p.clear();
        p.finish();
        assertEquals("\r\033[K2/10 inputs, 2.00/s, 4s left\r\033[K4/10 inputs, 1 skipped, 2.00/s, 3s left\r\033[K"
                + "4/10 inputs, 1 skipped, 2.00/s, 3s left\n", text.toString().replace(System.lineSeparator(), "\n"));
        assertEquals("3m05s", BatchProgress.duration(185));
        assertEquals("2h07m", BatchProgress.duration(2 * 3600 + 7 * 60 + 9));
    }

    @Test
    void withoutATerminalNothingIsDrawn() {
        StringWriter text = new StringWriter();
        BatchProgress p = new BatchProgress(new PrintWriter(text), false, -1, System::nanoTime);
        p.advance(5, 0);
        p.finish();
        assertEquals("", text.toString());
    }

    @Test
    void onATerminalProgressIsErasedBeforeEveryOtherLine() {
        HubEnvironment hub = HubEnvironment.of(Map.of("HF_HUB_OFFLINE", "1", "HF_HUB_CACHE", "/nonexistent-lsg-test-cache"),
                Path.of("/nonexistent-home"));
        CliContext terminal = new CliContext(hub, new ByteArrayInputStream(new byte[0]), true, CliRun.TEST_CACHE);
        // a target outside the vocabulary warns on every batch, after the progress line of the one before
        CliRun r = CliRun.withContext(terminal, "fill-mask", "--model", MainCommandTest.tinyMlm(), "--top-k", "1",
                "--targets", "xyz", "One <mask>.", "Two <mask>.", "Three <mask>.");
        assertEquals(0, r.exit(), r.err());
        assertEquals(3, r.json().size());
        assertFalse(r.out().contains("\r") || r.out().contains("inputs"), r.out());
        assertTrue(r.err().contains("\r\033[K3/3 inputs"), r.err());
        for (String line : r.err().split("\n")) {
            // each line on stderr is a warning or the progress, never both run together
            String last = line.substring(line.lastIndexOf('\r') + 1).replace("\033[K", "");
            assertTrue(last.isEmpty() || last.startsWith("lsg: warning: ") || last.matches("\\d+/3 inputs.*"), line);
            assertFalse(line.contains("inputs") && line.contains("lsg: warning"), line);
        }
    }
}
