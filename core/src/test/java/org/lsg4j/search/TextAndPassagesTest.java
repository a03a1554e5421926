package org.lsg4j.search;

import org.junit.jupiter.api.Test;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.Encoding;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTML as text, sentences, and the passage windows over a document's tokens. */
class TextAndPassagesTest {
    private static final Path FIXTURE = Path.of(System.getProperty("lsg.shared", "../shared"))
            .resolve("fixtures/pipelines/mlm-norm-b16");

    @Test
    void htmlReadsAsItsText() {
        String html = "<!DOCTYPE html><html><head><title>Tides &amp; Ships</title><style>p { color: red; }</style>"
                + "<script>var x = '<p>not text</p>';</script></head><body><h1>Harbour</h1><!-- a <b>comment</b> -->"
                + "<p>Two trawlers came in at&nbsp;dawn.<br>The tide was <b>higher</b> than &quot;forecast&quot;.</p>"
                + "<ul><li>pier&#160;4</li><li>crane &#x2014; repaired</li></ul><table><tr><td>a</td><td>b</td></tr></table>"
                + "<p>1 &lt; 2 &unknown; <a href=\"x>y\">link</a> & more</p><SCRIPT>gone()</SCRIPT>end</body></html>";
        assertEquals("Tides & Ships\n\nHarbour\n\nTwo trawlers came in at dawn.\nThe tide was higher than \"forecast\"."
                + "\n\npier 4\n\ncrane — repaired\n\na b\n\n1 < 2 &unknown; link & more\n\nend", HtmlText.of(html));
        assertEquals("a < b", HtmlText.of("a < b"), "a lone '<' is text");
        assertEquals("x", HtmlText.of("x<script>never closed"));
    }

    @Test
    void sentencesEndAtPunctuationBeforeSpaceAndAtBlankLines() {
        String text = "  The tide rose (slowly). Did it flood?  Yes!\"Quoted.\" Version 3.11 is out\n\nA new paragraph\nwith two lines.";
        List<String> got = Passages.sentences(text).stream().map(s -> text.substring(s[0], s[1])).toList();
        assertEquals(List.of("The tide rose (slowly).", "Did it flood?", "Yes!\"Quoted.\"", "Version 3.11 is out",
                "A new paragraph\nwith two lines."), got);
    }

    @Test
    void windowsCoverTheReadTokensInOverlappingGroupsOfSentences() {
        TaskModel model = TaskModel.load(FIXTURE, Head.BASE);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            text.append("Sentence number ").append(i).append(" talks about the harbour. ");
        }
        text.append("word ".repeat(250)).append("The end.");
        String s = text.toString();
        Encoding e = model.tokenizer().encode(s);
        List<Passage> windows = Passages.windows(s, e);

        // three sentences per window, the last of one the first of the next
        assertEquals("Sentence number 0 talks about the harbour. Sentence number 1 talks about the harbour. "
                + "Sentence number 2 talks about the harbour.", s.substring(windows.get(0).start(), windows.get(0).end()));
        assertEquals(s.indexOf("Sentence number 2"), windows.get(1).start());
        for (Passage w : windows) {
            assertTrue(w.toToken() - w.fromToken() <= Passages.MAX_TOKENS, w.toString());
            assertTrue(w.fromToken() >= 1 && w.toToken() <= e.length() - 1, "special tokens are left out: " + w);
            assertEquals(e.start(w.fromToken()), w.start(), "a window starts where its first token starts");
        }
        // the 250-word sentence is cut into pieces of MAX_TOKENS tokens
        long pieces = windows.stream().filter(w -> s.substring(w.start(), w.end()).startsWith("word")).count();
        assertTrue(pieces >= 3, "pieces: " + pieces);
        assertEquals("The end.", s.substring(windows.getLast().start(), windows.getLast().end()).replace("word ", ""));

        // a truncated encoding: windows stop at the last token read
        Encoding cut = new org.lsg4j.pipelines.EmbeddingPipeline(model, w -> { })
                .encode(List.of(org.lsg4j.tokenizer.TextInput.of(s)), org.lsg4j.pipelines.EmbeddingOptions.defaults()
                        .withMaxLength(40)).get(0);
        List<Passage> few = Passages.windows(s, cut);
        assertTrue(few.getLast().toToken() <= 39 && few.getLast().end() <= cut.end(38), few.toString());
    }
}
