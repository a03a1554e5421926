package org.lsg4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextProgressBarTest {
    @Test
    void drawsBarPercentAndMegabytes() {
        assertEquals("model.safetensors  [###############               ]  50%  1.0/2.0 MB",
                TextProgressBar.line("model.safetensors", 1 << 20, 2 << 20));
        assertEquals("x  [##############################] 100%  0.0/0.0 MB", TextProgressBar.line("x", 10, 10));
        assertEquals("config.json  1.5 MB", TextProgressBar.line("config.json", 3 << 19, -1));
    }

    @Test
    void redrawsOnlyWhenThePercentChangesAndEndsTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextProgressBar bar = new TextProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (long done = 0; done <= 1000; done++) {
            bar.progress("f", done, 1000);
        }
        bar.finished("f");
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(101, out.chars().filter(c -> c == '\r').count());
        assertTrue(out.endsWith("100%  0.0/0.0 MB" + System.lineSeparator()), out);
    }
}
