package org.lsg4j.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.TextInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search index on a tiny fixture model (random weights, so only exact texts are sure to match): what
 * is embedded, what is kept when files change or not, the file format round trip, and the refusals.
 */
class SearchIndexTest {
    private static final Path FIXTURE = Path.of(System.getProperty("lsg.shared", "../shared"))
            .resolve("fixtures/pipelines/mlm-norm-b16");
    private static final TaskModel MODEL = TaskModel.load(FIXTURE, Head.BASE);
    private static final DocumentEmbedder EMBEDDER = new DocumentEmbedder(MODEL);
    private static final String KEY = EMBEDDER.key(FIXTURE, Map.of());

    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();

    private SearchIndex.Update update(Corpus corpus) {
        return SearchIndex.update(corpus, EMBEDDER, KEY, SearchIndex.Progress.NONE, warnings::add);
    }

    private static String report(String subject, int sentences) {
        StringBuilder s = new StringBuilder("Report on the " + subject + ".\n\n");
        for (int i = 0; i < sentences; i++) {
            s.append("On day ").append(i).append(" the ").append(subject).append(" counted ").append(i * 7 % 31)
                    .append(" visitors. ");
        }
        return s.toString();
    }

    @Test
    void aFolderIsIndexedOnceAndUpdatedForWhatChanged() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("harbour.txt"), report("harbour", 40));
        Files.createDirectories(docs.resolve("sub"));
        Files.writeString(docs.resolve("sub/orchard.md"), report("orchard", 20));
        Files.writeString(docs.resolve("archive.html"), "<html><body><p>" + report("archive", 30) + "</p></body></html>");
        Files.writeString(docs.resolve("notes.pdf"), "not read");
        Files.writeString(docs.resolve(".hidden.txt"), "not read");
        Files.createDirectories(docs.resolve(".git"));
        Files.writeString(docs.resolve(".git/HEAD.txt"), "not read");
        Corpus corpus = Corpus.open(docs);

        List<Long> progress = new ArrayList<>();
        SearchIndex.Update first = SearchIndex.update(corpus, EMBEDDER, KEY, new SearchIndex.Progress() {
            @Override
            public void started(int documents, long characters) {
                progress.add((long) documents);
                progress.add(characters);
            }

            @Override
            public void embedded(String id, int tokens, long characters) {
                progress.add((long) tokens);
            }
        }, warnings::add);
        assertEquals(List.of("archive.html", "harbour.txt", "sub/orchard.md"), first.index().ids());
        assertEquals(3, first.embedded());
        assertTrue(first.written() && Files.isRegularFile(docs.resolve(".lsg-search-index.safetensors")));
        assertEquals(3L, progress.get(0));
        assertEquals(5, progress.size());

        // the document vectors are the model's sentence embeddings of the whole text, normalised
        EmbeddingPipeline pipeline = new EmbeddingPipeline(MODEL, w -> { });
        float[] harbour = pipeline.run(TextInput.of(report("harbour", 40)),
                MODEL.sentenceEmbedding().withNormalize(true)).vector();
        assertArrayEquals(harbour, first.index().documentVectors().get(1), 1e-6f);
        float[] archive = pipeline.run(TextInput.of("Report on the archive.\n\n" + report("archive", 30)
                .substring("Report on the archive.\n\n".length()).strip()), MODEL.sentenceEmbedding().withNormalize(true)).vector();
        assertArrayEquals(archive, first.index().documentVectors().get(0), 1e-6f, "HTML is embedded as its text");

        // nothing changed: nothing read, nothing written
        SearchIndex.Update again = update(corpus);
        assertEquals(0, again.embedded());
        assertEquals(3, again.reused());
        assertFalse(again.written());
        assertArrayEquals(first.index().documentVectors().get(1), again.index().documentVectors().get(1));

        // touched (same bytes): read and kept; edited: embedded; deleted: removed; new: embedded
        Files.setLastModifiedTime(docs.resolve("harbour.txt"), FileTime.fromMillis(1_000_000));
        Files.writeString(docs.resolve("sub/orchard.md"), report("orchard", 21));
        Files.delete(docs.resolve("archive.html"));
        Files.writeString(docs.resolve("zoo.txt"), report("zoo", 5));
        SearchIndex.Update changed = update(corpus);
        assertEquals(List.of("harbour.txt", "sub/orchard.md", "zoo.txt"), changed.index().ids());
        assertEquals(2, changed.embedded());
        assertEquals(1, changed.reused());
        assertEquals(1, changed.removed());
        assertTrue(changed.written());
        assertEquals(0, update(corpus).embedded(), "the new modification time was recorded");

        // search: a document's own text finds it first, with a passage of it
        List<SearchIndex.Hit> hits = changed.index().search(EMBEDDER.query(report("zoo", 5)), 2);
        assertEquals("zoo.txt", hits.get(0).id());
        assertEquals(1.0, hits.get(0).score(), 1e-5);
        String zoo = corpus.text("zoo.txt", "zoo.txt");
        assertTrue(hits.get(0).passageStart() >= 0 && hits.get(0).passageEnd() <= zoo.length());
        assertEquals(2, hits.size());
        assertTrue(hits.get(0).score() >= hits.get(1).score());
        assertEquals(List.of(), warnings);
    }

    @Test
    void jsonLinesAreDocumentsKeptByIdAndText() throws IOException {
        Path file = tmp.resolve("reports.jsonl");
        Files.writeString(file, line("h", report("harbour", 10)) + "\n" + line(7, report("orchard", 10))
                + "{\"text\": \"no id\"}\n");
        Corpus corpus = Corpus.open(file);
        assertEquals(tmp.resolve(".reports.jsonl.lsg-search-index.safetensors"), corpus.indexFile());
        SearchIndex.Update first = update(corpus);
        assertEquals(List.of("h", "7", "line 4"), first.index().ids());
        assertEquals(3, first.embedded());

        Files.writeString(file, line("h", report("harbour", 10)) + line(7, report("orchard", 11)));
        SearchIndex.Update second = update(corpus);
        assertEquals(1, second.embedded(), "only the record whose text changed");
        assertEquals(1, second.reused());
        assertEquals(1, second.removed());
        assertEquals(report("orchard", 11), corpus.text("reports.jsonl", "7"));

        Files.writeString(file, "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"a\", \"text\": \"y\"}\n");
        LsgException dup = assertThrows(LsgException.class, () -> update(corpus));
        assertEquals(file + ":2: id \"a\" is used by an earlier line", dup.getMessage());
        Files.writeString(file, "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\", \"text\": oops}\n");
        assertTrue(assertThrows(LsgException.class, () -> update(corpus)).getMessage().startsWith(file + ":2: malformed JSON"));
        Files.writeString(file, "{\"id\": \"a\", \"body\": \"x\"}\n");
        assertEquals(file + ":1: expected an object with a string \"text\", found text missing",
                assertThrows(LsgException.class, () -> update(corpus)).getMessage());
    }

    private static String line(Object id, String text) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("id", id, "text", text)) + "\n";
    }

    @Test
    void anUnreadableOrForeignIndexIsRebuilt() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), report("harbour", 3));
        Corpus corpus = Corpus.open(docs);
        update(corpus);
        Files.writeString(corpus.indexFile(), "garbage");
        SearchIndex.Update rebuilt = update(corpus);
        assertEquals(1, rebuilt.embedded());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith(corpus.indexFile() + " cannot be read ("), warnings.get(0));

        SearchIndex.Update other = SearchIndex.update(corpus, EMBEDDER, "another model", SearchIndex.Progress.NONE,
                warnings::add);
        assertEquals(1, other.embedded());
        assertEquals(corpus.indexFile() + " was made by another model or version of lsg4j: rebuilding it", warnings.get(1));
    }

    @Test
    void badCorporaAreRefused() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("x.pdf"), "pdf");
        assertTrue(assertThrows(LsgException.class, () -> update(Corpus.open(empty))).getMessage()
                .startsWith(empty + ": no documents (expected .txt, .md"));
        assertEquals(tmp.resolve("nope") + ": no such folder or file (--docs takes a folder of documents or a .jsonl file)",
                assertThrows(LsgException.class, () -> Corpus.open(tmp.resolve("nope"))).getMessage());
        Path csv = Files.writeString(tmp.resolve("a.csv"), "a,b");
        assertTrue(assertThrows(LsgException.class, () -> Corpus.open(csv)).getMessage()
                .endsWith("expected a folder or a .jsonl file of {\"id\", \"text\"} lines, found a .csv file"));
    }

    @Test
    void theKeyFollowsTheModelAndOptions() {
        assertEquals(KEY, EMBEDDER.key(FIXTURE, Map.of()));
        assertFalse(KEY.equals(EMBEDDER.key(FIXTURE, Map.of("sparsity_type", "\"none\""))));
    }
}
