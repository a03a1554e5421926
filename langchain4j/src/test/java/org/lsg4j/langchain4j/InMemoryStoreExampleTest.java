package org.lsg4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.CosineSimilarity;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.RelevanceScore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

/**
 * The example of the module: whole long documents indexed in LangChain4j's in-memory embedding store
 * and searched, on a tiny LSG-RoBERTa fixture (2 layers, hidden 32, 4,096 tokens, random weights).
 * Random weights make similarity meaningless between different texts, so the query is the text of the
 * document that holds the answer (only an identical text is sure to come first); what is checked is the
 * plumbing: the store's vectors are EmbeddingPipeline's, bit for bit, the ranking is by their cosine,
 * the token usage is what was read, and a document longer than the model is cut with a warning.
 */
class InMemoryStoreExampleTest {
    private static final Path FIXTURE = Path.of(System.getProperty("lsg.shared", "../shared"))
            .resolve("fixtures/pipelines/mlm-norm-b16");

    private static TaskModel model;
    private static Workers workers;

    @BeforeAll
    static void load() {
        model = TaskModel.load(FIXTURE, Head.BASE);
        workers = Workers.create(2);
    }

    @AfterAll
    static void close() {
        workers.close();
    }

    /** A report of {@code days} paragraphs on one subject, with {@code fact} in the middle. */
    private static String report(String subject, String[] events, int days, String fact) {
        StringBuilder text = new StringBuilder("Report on the " + subject + ".\n");
        for (int day = 1; day <= days; day++) {
            text.append("Day ").append(day).append(": ").append(events[day % events.length])
                    .append(" The log for the ").append(subject).append(" counts ").append(day * 7 % 31)
                    .append(" entries.\n");
            if (day == days / 2) {
                text.append(fact).append('\n');
            }
        }
        return text.toString();
    }

    private static List<TextSegment> documents() {
        return List.of(
                TextSegment.from(report("harbour", new String[] {"Two trawlers came in at dawn.",
                        "The tide was higher than forecast.", "A crane on pier four was repaired."}, 60,
                        "The lighthouse keeper's cat is called Marmalade."), Metadata.from("title", "harbour")),
                TextSegment.from(report("orchard", new String[] {"The pear trees were pruned.",
                        "Frost damaged the lower rows.", "Bees were moved to the east field."}, 45,
                        "The oldest apple tree was planted in 1911."), Metadata.from("title", "orchard")),
                TextSegment.from(report("observatory", new String[] {"Clouds hid the comet.",
                        "The dome motor was replaced.", "Students visited in the evening."}, 80,
                        "The main mirror is 1.2 metres across."), Metadata.from("title", "observatory")),
                TextSegment.from(report("archive", new String[] {"Boxes of letters were catalogued.",
                        "The humidity alarm went off twice.", "A map from 1750 was restored."}, 400,
                        "The ledger of 1802 is missing its last page."), Metadata.from("title", "archive")));
    }

    private static LsgEmbeddingModel.Builder builder(List<String> warnings) {
        return LsgEmbeddingModel.builder().model(model).workers(workers).warnings(warnings::add);
    }

    @Test
    void indexesLongDocumentsAndFindsTheOneHoldingTheAnswer() {
        List<String> warnings = new ArrayList<>();
        EmbeddingModel embeddings = builder(warnings).batchSize(2).build();
        List<TextSegment> documents = documents();

        Response<List<Embedding>> indexed = embeddings.embedAll(documents);
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        store.addAll(indexed.content(), documents);

        // the vectors are EmbeddingPipeline's, bit for bit, with the adapter's options (mean, normalised, batch 2)
        EmbeddingPipeline pipeline = new EmbeddingPipeline(model.withWorkers(workers), w -> { });
        LsgEmbeddingModel lsg = (LsgEmbeddingModel) embeddings;
        List<TextInput> inputs = documents.stream().map(d -> TextInput.of(d.text())).toList();
        List<org.lsg4j.pipelines.Embedding> expected = pipeline.run(inputs, lsg.options());
        assertEquals(documents.size(), indexed.content().size());
        for (int i = 0; i < documents.size(); i++) {
            float[] v = indexed.content().get(i).vector();
            assertArrayEquals(expected.get(i).vector(), v, documents.get(i).metadata().getString("title"));
            assertEquals(32, v.length);
            assertEquals(1.0, norm(v), 1e-6, "normalised");
        }
        assertEquals(32, embeddings.dimension());

        // token usage: what was read, the archive cut at the model's 4096 tokens, with a warning
        List<Encoding> encodings = pipeline.encode(inputs, lsg.options());
        int tokens = encodings.stream().mapToInt(Encoding::length).sum();
        assertEquals(tokens, indexed.tokenUsage().inputTokenCount());
        assertEquals(4096, encodings.get(3).length());
        assertTrue(encodings.get(0).length() > 512 && encodings.get(2).length() > 1024,
                "whole documents, longer than a 512-token BERT reads: " + encodings.stream().map(Encoding::length).toList());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("input \"Report on the archive."), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("more than the 4096 tokens the model takes: truncated to 4096 tokens"), warnings.get(0));

        // search: the harbour report holds the answer and is the query
        Response<Embedding> query = embeddings.embed(documents.get(0).text());
        assertArrayEquals(indexed.content().get(0).vector(), query.content().vector(), "embed(String) = embedAll's vector");
        assertEquals(encodings.get(0).length(), query.tokenUsage().inputTokenCount());
        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(query.content()).maxResults(4).build()).matches();
        assertEquals("harbour", matches.get(0).embedded().metadata().getString("title"));
        assertEquals(documents.get(0).text(), matches.get(0).embedded().text());
        assertEquals(1.0, matches.get(0).score(), 1e-6);

        // and the rest come in the order of their cosine with the query, scored (1 + cosine) / 2
        List<Integer> byCosine = new ArrayList<>(List.of(0, 1, 2, 3));
        byCosine.sort(Comparator.comparingDouble((Integer i) -> -CosineSimilarity.between(query.content(), indexed.content().get(i))));
        assertEquals(byCosine.stream().map(i -> documents.get(i).metadata().getString("title")).toList(),
                matches.stream().map(m -> m.embedded().metadata().getString("title")).toList());
        for (EmbeddingMatch<TextSegment> m : matches) {
            int i = documents.indexOf(m.embedded());
            assertEquals(RelevanceScore.fromCosineSimilarity(CosineSimilarity.between(query.content(), indexed.content().get(i))),
                    m.score(), 1e-12);
        }
    }

    @Test
    void optionsReachThePipeline() {
        List<String> warnings = new ArrayList<>();
        LsgEmbeddingModel cls = builder(warnings).pooling(org.lsg4j.pipelines.Pooling.CLS).normalize(false).maxLength(64)
                .modelName("fixture").build();
        TextSegment doc = documents().get(1);
        Response<Embedding> r = cls.embed(doc);
        EmbeddingPipeline pipeline = new EmbeddingPipeline(model.withWorkers(workers), w -> { });
        assertArrayEquals(pipeline.run(TextInput.of(doc.text()), cls.options()).vector(), r.content().vector());
        assertEquals(64, r.tokenUsage().inputTokenCount(), "max_length truncates");
        assertEquals(List.of(), warnings, "an explicit max_length truncates silently");
        assertEquals("fixture", cls.modelName());
        assertEquals(List.of(), cls.embedAll(List.of()).content());
    }

    @Test
    void needsAModelAndWorkers() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LsgEmbeddingModel.builder().model(model).build());
        assertTrue(e.getMessage().endsWith("missing: workers"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> LsgEmbeddingModel.builder().workers(workers).build());
        assertThrows(IllegalArgumentException.class, () -> LsgEmbeddingModel.builder().batchSize(0));
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
