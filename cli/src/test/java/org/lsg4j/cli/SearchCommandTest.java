package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lsg search} with the default model on a few real documents: the right one first with the
 * passage that answers, the index made once beside the documents and kept, JSON output, JSON lines.
 */
class SearchCommandTest {
    private static final Map<String, String> DOCS = Map.of(
            "harbour.txt", "Notes from the harbour office.\n\nThe harbour has three piers and a small lighthouse. "
                    + "Cargo ships unload grain at the north pier twice a week. The fishing fleet leaves before dawn "
                    + "and the trawlers usually return to port in the late afternoon, when the fish market opens. "
                    + "Storms in November often close the harbour entrance for several days.",
            "orchard.md", "# The orchard\n\nWe grow apples and pears on twelve hectares. The trees are pruned in "
                    + "February, before the buds open. Bees from two local keepers pollinate the blossom in April. "
                    + "The harvest starts in September and the fruit is stored in a cold room until spring.",
            "observatory.html", "<html><head><title>Observatory</title></head><body><h1>The observatory</h1>"
                    + "<p>The main telescope has a mirror of one metre. Clear nights are rare in winter, so most "
                    + "observations of faint galaxies are made in summer.</p><p>Visitors may look through the small "
                    + "refractor on Friday evenings.</p></body></html>",
            "bakery.txt", "The bakery opens at six. Sourdough loaves rise overnight and are baked at dawn. "
                    + "Croissants need butter folded into the dough many times. On Sundays the bakery sells "
                    + "only bread, no pastries.");

    private static Path folder(Path dir) throws IOException {
        for (Map.Entry<String, String> d : DOCS.entrySet()) {
            Files.writeString(dir.resolve(d.getKey()), d.getValue());
        }
        return dir;
    }

    @Test
    void findsTheDocumentAndThePassageThatAnswer(@TempDir Path tmp) throws IOException {
        Path docs = folder(tmp);
        CliRun r = CliRun.run("search", "--docs", docs.toString(), "--top-k", "2",
                "when do the fishing boats come back to port?", "when is the fruit picked").expectExit(0);
        assertTrue(Pattern.compile("^lsg search: 4 documents \\(4 embedded, 0 unchanged, 0 removed\\), [\\d,]+ tokens in "
                + "[\\d.]+ s \\([\\d,]+ tokens/s\\); index " + Pattern.quote(docs.resolve(".lsg-search-index.safetensors")
                .toString()) + "$", Pattern.MULTILINE).matcher(r.err()).find(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals("query: when do the fishing boats come back to port?", lines[0]);
        assertTrue(lines[1].matches(" 1\\. 0\\.\\d{4}  harbour\\.txt"), lines[1]);
        assertTrue(lines[2].startsWith("    passage 0.") && lines[2].contains("the trawlers usually return to port"),
                lines[2]);
        assertTrue(lines[3].matches(" 2\\. 0\\.\\d{4}  \\S+"), lines[3]);
        assertEquals("query: when is the fruit picked", lines[5]);
        assertTrue(lines[6].endsWith("  orchard.md"), lines[6]);
        assertTrue(lines[7].contains("The harvest starts in September"), lines[7]);

        // the second run reads the index: nothing embedded
        CliRun again = CliRun.run("search", "--docs", docs.toString(), "--json", "--top-k", "4",
                "in which season are faint galaxies observed").expectExit(0);
        assertTrue(again.err().contains("lsg search: 4 documents, index up to date; index "), again.err());
        JsonNode j = again.json().get(0);
        assertEquals("in which season are faint galaxies observed", j.get("query").asText());
        assertEquals(4, j.get("results").size());
        JsonNode best = j.get("results").get(0);
        assertEquals(1, best.get("rank").asInt());
        assertEquals("observatory.html", best.get("id").asText());
        assertEquals("observatory.html", best.get("file").asText());
        JsonNode passage = best.get("passage");
        assertTrue(passage.get("text").asText().contains("faint galaxies"), passage.toString());
        assertTrue(passage.get("score").asDouble() > 0 && passage.get("end").asInt() > passage.get("start").asInt());
        for (int i = 1; i < 4; i++) {
            assertTrue(j.get("results").get(i - 1).get("score").asDouble() >= j.get("results").get(i).get("score").asDouble());
        }
    }

    @Test
    void jsonLinesAreSearchedByRecord(@TempDir Path tmp) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, String> d : DOCS.entrySet()) {
            lines.append(CliRun.JSON.writeValueAsString(Map.of("id", d.getKey().replaceAll("\\..*", ""), "text", d.getValue())))
                    .append('\n');
        }
        Path file = Files.writeString(tmp.resolve("docs.jsonl"), lines);
        JsonNode j = CliRun.run("search", "--docs", file.toString(), "--json", "--top-k", "1", "fresh bread in the morning")
                .expectExit(0).json().get(0);
        assertEquals("bakery", j.get("results").get(0).get("id").asText());
        assertEquals("docs.jsonl", j.get("results").get(0).get("file").asText());
        assertTrue(Files.isRegularFile(tmp.resolve(".docs.jsonl.lsg-search-index.safetensors")));
    }

    @Test
    void badInputIsNamed(@TempDir Path tmp) {
        CliRun r = CliRun.run("search", "--docs", tmp.resolve("missing").toString(), "x");
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        r.errContains("missing: no such folder or file");
        CliRun k = CliRun.run("search", "--docs", tmp.toString(), "--top-k", "0", "x");
        assertEquals(Main.EXIT_BAD_INPUT, k.exit());
        k.errContains("--top-k must be at least 1, got 0");
    }
}
