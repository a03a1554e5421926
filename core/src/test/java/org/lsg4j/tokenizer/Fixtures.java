package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths of the shared fixtures and a loaded roberta-base tokenizer, shared by the tests. */
final class Fixtures {
    static final Path SHARED = Path.of(System.getProperty("lsg.shared", "../shared"));
    static final Path ROBERTA_BASE = SHARED.resolve("tokenizers/roberta-base");
    static final Path RECORDS = SHARED.resolve("fixtures/tokenizer/roberta-base.jsonl");
    static final Path PIPELINE_MODEL = SHARED.resolve("fixtures/pipelines/mlm-norm-b16");

    private static Tokenizer robertaBase;
    private static List<JsonNode> records;

    private Fixtures() {
    }

    static synchronized Tokenizer robertaBase() {
        if (robertaBase == null) {
            robertaBase = Tokenizer.load(ROBERTA_BASE);
        }
        return robertaBase;
    }

    static synchronized List<JsonNode> records() {
        if (records == null) {
            ObjectMapper mapper = new ObjectMapper();
            List<JsonNode> list = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(RECORDS)) {
                    if (!line.isBlank()) {
                        list.add(mapper.readTree(line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            records = List.copyOf(list);
        }
        return records;
    }
}
