package org.lsg4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.CosineSimilarity;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsg4j.hub.DefaultModel;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.Encoding;

/**
 * The example with real semantics: lsg4j's default model (all-MiniLM-L6-v2 converted to LSG, 4,096 tokens)
 * in LangChain4j's in-memory store. Each document opens with the same 600-odd tokens of legal boilerplate,
 * so what tells them apart, and what answers the queries, is past token 512: a 512-token encoder sees the
 * same text in all of them, while the whole-document vectors find the right one first.
 */
class DefaultModelStoreExampleTest {
    private static TaskModel model;
    private static Workers workers;

    @BeforeAll
    static void load() {
        Path cache = Path.of(System.getProperty("lsg.test.cache", "target/lsg4j-test-cache"));
        model = TaskModel.load(DefaultModel.resolve(cache, line -> { }), Head.BASE);
        workers = Workers.create(2);
    }

    @AfterAll
    static void close() {
        workers.close();
    }

    /** The header every document starts with: a made-up licence, long enough to fill the first 512 tokens. */
    static String boilerplate() {
        String[] clauses = {
            "This document is distributed under the terms of the Community Records Licence, version 2.",
            "Permission is granted to copy, print and share this document for any purpose, provided that this notice"
                    + " is kept intact on every copy.",
            "The authors make no warranty of any kind, express or implied, about the completeness or the accuracy of"
                    + " the information it contains.",
            "In no event shall the authors or the publishers be liable for any claim, damages or other liability"
                    + " arising from the use of this document.",
            "Translations may be made and distributed if they carry this notice in the language of the translation.",
            "Changes to the text must be marked as such and must not be presented as the work of the original authors.",
            "Names and trademarks quoted in the document belong to their owners and are used for identification only.",
            "Questions about this licence may be sent to the records office, which answers within thirty days.",
        };
        StringBuilder s = new StringBuilder();
        for (int section = 1; section <= 3; section++) {
            s.append("Section ").append(section).append(" of the licence.\n");
            for (String c : clauses) {
                s.append(c).append(' ');
            }
            s.append("\n\n");
        }
        return s.toString();
    }

    private static final Map<String, String> BODIES = Map.of(
            "harbour", "Harbour operations report. The harbour has three piers and a lighthouse at the end of the"
                    + " breakwater. Cargo ships unload grain and timber at the north pier. The fishing fleet leaves"
                    + " before dawn, and the trawlers return to port in the late afternoon, when the fish auction"
                    + " opens. In November, storms often close the harbour entrance for several days, and the pilots"
                    + " guide larger vessels through the channel only at high tide.",
            "bakery", "A guide to the village bakery. Sourdough loaves are shaped in the evening and left to rise"
                    + " slowly overnight in a cool room. The starter is fed with flour and water every morning and"
                    + " kept in a glass jar. The ovens are lit at four, so that the first bread is ready when the shop"
                    + " opens at six. Croissants need cold butter folded into the dough many times.",
            "orchard", "Notes on the orchard. We grow apples and pears on twelve hectares of sloping land. The trees"
                    + " are pruned in February, before the buds open, and the old branches are burned. Bees from two"
                    + " local keepers pollinate the blossom in April. The harvest starts in September, and the fruit"
                    + " is stored in a cold room until the spring markets.",
            "observatory", "The observatory handbook. The main telescope has a mirror one metre across, housed under"
                    + " a dome that turns on rails. Clear, moonless nights are rare in winter, so most observations of"
                    + " faint galaxies are planned for late summer. Visitors may look through the small refractor on"
                    + " Friday evenings, weather permitting.");

    private static List<TextSegment> documents() {
        List<TextSegment> out = new ArrayList<>();
        for (String name : List.of("harbour", "bakery", "orchard", "observatory")) {
            out.add(TextSegment.from(boilerplate() + BODIES.get(name), Metadata.from("title", name)));
        }
        return out;
    }

    @Test
    void theDocumentThatAnswersComesFirstThoughTheAnswerIsPastToken512() {
        LsgEmbeddingModel embeddings = LsgEmbeddingModel.builder().model(model).workers(workers).build();
        assertEquals(384, embeddings.dimension());
        List<TextSegment> documents = documents();

        // every answer sits past token 512, behind the same boilerplate
        for (TextSegment d : documents) {
            Encoding e = model.tokenizer().encode(d.text());
            int bodyStart = d.text().indexOf(BODIES.get(d.metadata().getString("title")));
            int firstBodyToken = 0;
            while (e.start(firstBodyToken) < bodyStart || e.sequenceId(firstBodyToken) != 0) {
                firstBodyToken++;
            }
            assertTrue(firstBodyToken > 512 && e.length() < 1024,
                    d.metadata().getString("title") + ": body from token " + firstBodyToken + " of " + e.length());
        }

        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        Response<List<Embedding>> indexed = embeddings.embedAll(documents);
        store.addAll(indexed.content(), documents);
        assertTrue(indexed.tokenUsage().inputTokenCount() > 4 * 512, "whole documents read: " + indexed.tokenUsage());

        Map<String, String> queries = Map.of(
                "harbour", "What time do the fishing boats come back?",
                "bakery", "How is the sourdough starter looked after?",
                "orchard", "When are the fruit trees cut back?",
                "observatory", "Which season is best for watching distant galaxies?");
        for (Map.Entry<String, String> q : queries.entrySet()) {
            List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(embeddings.embed(q.getValue()).content()).maxResults(4).build()).matches();
            assertEquals(q.getKey(), matches.get(0).embedded().metadata().getString("title"),
                    q.getValue() + " -> " + matches.stream().map(m -> m.embedded().metadata().getString("title")
                            + String.format(" %.4f", m.score())).toList());
            assertTrue(matches.get(0).score() > matches.get(1).score());
        }

        // the first 512 tokens of every document are the same boilerplate: a 512-token reader cannot tell them apart
        LsgEmbeddingModel first512 = LsgEmbeddingModel.builder().model(model).workers(workers).maxLength(512).build();
        List<Embedding> heads = first512.embedAll(documents).content();
        for (int i = 1; i < heads.size(); i++) {
            assertEquals(1.0, CosineSimilarity.between(heads.get(0), heads.get(i)), 1e-6,
                    "the first 512 tokens of document " + i + " are document 0's");
        }
    }
}
