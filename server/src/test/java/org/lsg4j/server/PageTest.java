package org.lsg4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page in headless Chromium: paste a document, run a task, click a block of the picture and
 * check the picture's pixels against the server's own /attention answer for that block (a query
 * cell, a local key, a sparse key's source, a key the block does not see). Screenshots are left in
 * {@code server/target/chromium/}. Skips only when no chromium binary is installed
 * (Debian: {@code apt-get install -y chromium}).
 */
class PageTest {
    private static final Path ARTIFACTS = Path.of("target", "chromium");
    private static Path chromium;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findChromium() throws IOException {
        chromium = Chromium.binary();
        Assumptions.assumeTrue(chromium != null,
                "chromium is not installed (apt-get install -y chromium): the page test is skipped");
        Files.createDirectories(ARTIFACTS);
    }

    @Test
    void pasteRunClickABlockAndSeeItsKeys() throws Exception {
        try (TestServer server = new TestServer(TestServer.PIPELINES.resolve("mlm-norm-b16"));
             Chromium browser = new Chromium(chromium, 1280, 1500)) {
            browser.navigate(server.url("/"));
            browser.waitFor("document.body.dataset.state === 'ready'", Duration.ofSeconds(30));
            assertEquals("fill-mask", browser.eval("document.getElementById('task').value").asText());
            String document = "LSG attention reads long documents. " + TestServer.words(260, 11)
                    + " The museum is the <mask> of the city. " + TestServer.words(200, 12);
            browser.eval("document.getElementById('doc').focus()");
            browser.insertText(document);
            browser.clickElement("#run");
            browser.waitFor("document.body.dataset.state === 'done'", Duration.ofSeconds(60));
            assertTrue(browser.eval("document.getElementById('result-json').textContent").asText().contains("token_str"));

            int blocks = browser.eval("lsgView.view().geometry.blocks").asInt();
            assertTrue(blocks > 20, "a long document: " + blocks + " blocks");
            int block = 17;
            clickBlock(browser, block);
            browser.waitFor("document.getElementById('attn-summary').dataset.block === '" + block + "'",
                    Duration.ofSeconds(30));

            // the server's own answer for that block
            JsonNode view = server.post("/attention", TestServer.object().put("text", document).put("block", block)
                    .put("layer", 0).put("head", 0)).json();
            int b = view.get("geometry").get("block_size").asInt();
            int localFrom = view.get("local").get(0).asInt();
            int localTo = view.get("local").get(1).asInt();
            int sparseSource = -1;
            java.util.Set<Integer> sources = new java.util.HashSet<>();
            for (JsonNode key : view.get("sparse")) {
                for (int i = 0; i < key.get("sources").size(); i++) {
                    int p = key.get("sources").get(i).asInt();
                    if (key.get("visible").asBoolean() && key.get("weights").get(i).asDouble() > 0) {
                        sources.add(p);
                        if (sparseSource < 0 && (p < localFrom || p >= localTo)) {
                            sparseSource = p;
                        }
                    }
                }
            }
            assertTrue(sparseSource >= 0, "the block has sparse keys outside its local window");
            int unseen = -1;
            for (int p = 1; p < view.get("geometry").get("tokens").asInt(); p++) {
                if ((p < localFrom || p >= localTo) && !sources.contains(p)) {
                    unseen = p;
                    break;
                }
            }
            JsonNode summary = browser.eval("Object.assign({}, document.getElementById('attn-summary').dataset)");
            assertEquals(view.get("sparse").size(), summary.get("sparseKeys").asInt(), summary.toString());
            assertEquals(localTo - localFrom, summary.get("local").asInt(), summary.toString());
            assertEquals(sources.stream().filter(p -> p < localFrom || p >= localTo).count(),
                    summary.get("sparseTokens").asLong(), summary.toString());

            assertColor(browser, block * b + 3, "query");
            assertColor(browser, localFrom + 1, "local");
            assertColor(browser, sparseSource, "sparse");
            assertColor(browser, unseen, "unseen");
            int[] global = pixel(browser, "0, 0");
            assertEquals("global", classify(global), java.util.Arrays.toString(global));

            browser.eval("document.getElementById('canvas-wrap').scrollTop = 0; window.scrollTo(0, 0)");
            Files.write(ARTIFACTS.resolve("page-fill-mask-block" + block + ".png"), browser.screenshot());
        }
    }

    @Test
    void answersAreHighlightedInTheText() throws Exception {
        Path qa = TestServer.taskFolder("stride-f4-qa", tmp.resolve("qa"));
        try (TestServer server = new TestServer(qa);
             Chromium browser = new Chromium(chromium, 1280, 1200)) {
            browser.navigate(server.url("/"));
            browser.waitFor("document.body.dataset.state === 'ready'", Duration.ofSeconds(30));
            browser.eval("document.getElementById('task').value = 'qa';"
                    + " document.getElementById('task').dispatchEvent(new Event('change'))");
            assertTrue(!browser.eval("document.getElementById('question-row').hidden").asBoolean());
            browser.eval("document.getElementById('question').focus()");
            browser.insertText("Where is the cat?");
            browser.eval("document.getElementById('doc').focus()");
            browser.insertText("The cat sleeps in Paris. The museum opens at nine.");
            browser.clickElement("#run");
            browser.waitFor("document.body.dataset.state === 'done'", Duration.ofSeconds(60));
            JsonNode answers = server.post("/qa", "{\"inputs\": {\"question\": \"Where is the cat?\", \"context\":"
                    + " \"The cat sleeps in Paris. The museum opens at nine.\"}, \"parameters\": {\"top_k\": 3}}").json();
            JsonNode marks = browser.eval("[...document.querySelectorAll('#result-text mark')].map(m => m.textContent)");
            assertTrue(marks.size() >= 1, marks.toString());
            assertEquals(answers.get(0).get("answer").asText(), firstMarkFor(browser, "#1"), marks.toString());
            Files.write(ARTIFACTS.resolve("page-qa.png"), browser.screenshot());
        }
    }

    private static String firstMarkFor(Chromium browser, String label) {
        return browser.eval("document.querySelector('#result-text mark[data-label=\"" + label + "\"]').textContent")
                .asText();
    }

    /** Scrolls row {@code block} of the picture into view and clicks it. */
    private static void clickBlock(Chromium browser, int block) {
        JsonNode at = browser.eval("(() => {"
                + " const v = lsgView.view(); const c = lsgView.cellOf(" + block + " * v.geometry.block_size + 2);"
                + " const wrap = document.getElementById('canvas-wrap'); wrap.scrollTop = Math.max(0, c.y - 60);"
                + " document.getElementById('pattern').scrollIntoView({block: 'center'});"
                + " const r = document.getElementById('pattern').getBoundingClientRect();"
                + " const cell = (lsgView.cellOf(1).x - lsgView.cellOf(0).x);"
                + " return [r.left + c.x + cell / 2, r.top + c.y + cell / 2]; })()");
        browser.click(at.get(0).asDouble(), at.get(1).asDouble());
    }

    private static void assertColor(Chromium browser, int position, String kind) {
        int[] rgb = pixel(browser, "(() => { const c = lsgView.cellOf(" + position + ");"
                + " const cell = lsgView.cellOf(1).x - lsgView.cellOf(0).x;"
                + " return [c.x + Math.floor(cell / 2), c.y + Math.floor(cell / 2)]; })()"
                + ".join(',')");
        assertEquals(kind, classify(rgb), "position " + position + ": " + java.util.Arrays.toString(rgb)
                + ", page says " + browser.eval("lsgView.kind(" + position + ")"));
    }

    /** The canvas pixel at "x, y" (a JavaScript expression giving them). */
    private static int[] pixel(Chromium browser, String xy) {
        JsonNode p = browser.eval("(() => { const [x, y] = String(" + (xy.contains("(") ? xy : "'" + xy + "'")
                + ").split(',').map(Number);"
                + " return [...document.getElementById('pattern').getContext('2d').getImageData(x, y, 1, 1).data]; })()");
        return new int[]{p.get(0).asInt(), p.get(1).asInt(), p.get(2).asInt()};
    }

    /** Which of the picture's colours (see style.css and app.js) a pixel is. */
    private static String classify(int[] rgb) {
        int r = rgb[0], g = rgb[1], b = rgb[2];
        if (near(rgb, 108, 52, 131)) {
            return "query";
        }
        if (near(rgb, 59, 130, 196)) {
            return "local";
        }
        if (near(rgb, 30, 158, 90)) {
            return "global";
        }
        if (near(rgb, 241, 241, 241)) {
            return "unseen";
        }
        if (near(rgb, 201, 201, 201)) {
            return "pad";
        }
        if (r > 225 && g > 120 && b < 200 && r - b > 40) {
            return "sparse";   // the orange, lighter for smaller weights
        }
        return "other";
    }

    private static boolean near(int[] rgb, int r, int g, int b) {
        return Math.abs(rgb[0] - r) <= 3 && Math.abs(rgb[1] - g) <= 3 && Math.abs(rgb[2] - b) <= 3;
    }
}
