package org.lsg4j.bench.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's documents and queries as {@code make_corpus.py} wrote them, with each document's full
 * encoding (no truncation) and each answer's position in tokens.
 */
final class RetrievalCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Document(String id, String text, Encoding encoding) {
    }

    /**
     * A query and where its answer is.
     *
     * @param document    index of the document that answers
     * @param answerStart first character of the answer in the document's text
     * @param answerEnd   one past its last character
     * @param answerToken the token the answer starts at in the document's full encoding
     * @param header      whether the document starts with the licence boilerplate
     */
    record Query(String text, int document, int answerStart, int answerEnd, int answerToken, boolean header) {
    }

    final List<Document> documents;
    final List<Query> queries;

    private RetrievalCorpus(List<Document> documents, List<Query> queries) {
        this.documents = documents;
        this.queries = queries;
    }

    /** The first {@code maxDocuments} documents of the corpus and their queries. */
    static RetrievalCorpus load(Path dir, Tokenizer tokenizer, int maxDocuments) {
        try {
            List<Document> docs = new ArrayList<>();
            Map<String, Integer> index = new HashMap<>();
            for (String line : Files.readAllLines(dir.resolve("documents.jsonl"))) {
                if (docs.size() == maxDocuments) {
                    break;
                }
                JsonNode d = JSON.readTree(line);
                index.put(d.get("id").asText(), docs.size());
                docs.add(new Document(d.get("id").asText(), d.get("text").asText(), tokenizer.encode(d.get("text").asText())));
            }
            List<Query> queries = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("queries.jsonl"))) {
                JsonNode q = JSON.readTree(line);
                Integer doc = index.get(q.get("document").asText());
                if (doc == null) {
                    continue;
                }
                int start = q.get("answer_start").asInt();
                Encoding e = docs.get(doc).encoding();
                int token = 1;
                while (token < e.length() - 1 && e.end(token) <= start) {
                    token++;
                }
                queries.add(new Query(q.get("query").asText(), doc, start, q.get("answer_end").asInt(), token,
                        q.get("licence_header").asBoolean()));
            }
            return new RetrievalCorpus(docs, queries);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot read the corpus (make it with bench/retrieval/make_corpus.py)", e);
        }
    }
}
