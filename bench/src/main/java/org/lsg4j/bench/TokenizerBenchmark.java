package org.lsg4j.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.tokenizer.Tokenizer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Tokens per second of lsg4j's byte-level BPE tokenizer (roberta-base, through {@link Tokenizer})
 * against the Rust Hugging Face tokenizers (DJL binding 0.38.0, tokenizers 0.21), on the long
 * documents of the roberta-base fixture, with special tokens, no truncation. The {@code tokens}
 * counter is the throughput to read.
 *
 * <p>Single thread: one document after the other. Batch: the documents repeated to a batch of 20,
 * on a pool of 2 threads for lsg4j and through DJL's batchEncode (Rust, parallel over the machine's
 * cores) for the reference. Run with {@code -Dlsg.shared=DIR} when the fixtures are not at
 * {@code ../shared}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class TokenizerBenchmark {
    private static final int BATCH_COPIES = 4;

    private Tokenizer lsg4j;
    private HuggingFaceTokenizer rust;
    private String[] documents;
    private String[] batch;
    private ForkJoinPool pool;

    /** Counts the tokens produced, reported by JMH as tokens per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Tokens {
        public long tokens;

        @Setup(Level.Iteration)
        public void reset() {
            tokens = 0;
        }
    }

    @Setup
    public void setUp() throws IOException {
        Path shared = Path.of(System.getProperty("lsg.shared", "../shared"));
        Path model = shared.resolve("tokenizers/roberta-base");
        List<String> docs = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String line : Files.readAllLines(shared.resolve("fixtures/tokenizer/roberta-base.jsonl"))) {
            JsonNode r = mapper.readTree(line);
            if (r.get("kind").asText().equals("long_document")) {
                docs.add(r.get("text").asText());
            }
        }
        if (docs.isEmpty()) {
            throw new IllegalStateException("no long_document records under " + shared);
        }
        documents = docs.toArray(String[]::new);
        batch = new String[documents.length * BATCH_COPIES];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = documents[i % documents.length];
        }
        lsg4j = Tokenizer.load(model);
        rust = HuggingFaceTokenizer.newInstance(model.resolve("tokenizer.json"),
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        for (String doc : documents) {
            if (!Arrays.equals(lsg4j.encode(doc).ids(), Arrays.stream(rust.encode(doc).getIds()).mapToInt(Math::toIntExact).toArray())) {
                throw new IllegalStateException("lsg4j and the Rust tokenizer disagree on a benchmark document");
            }
        }
        pool = new ForkJoinPool(2);
    }

    @TearDown
    public void tearDown() {
        pool.shutdown();
        rust.close();
    }

    @Benchmark
    public void lsg4jSingleThread(Tokens counter) {
        for (String doc : documents) {
            counter.tokens += lsg4j.encode(doc).length();
        }
    }

    @Benchmark
    public void rustSingleThread(Tokens counter) {
        for (String doc : documents) {
            counter.tokens += rust.encode(doc).getIds().length;
        }
    }

    @Benchmark
    public void lsg4jBatchTwoThreads(Tokens counter) {
        counter.tokens += pool.submit(() -> Arrays.stream(batch).parallel()
                .mapToLong(doc -> lsg4j.encode(doc).length()).sum()).join();
    }

    @Benchmark
    public void rustBatch(Tokens counter) {
        for (var e : rust.batchEncode(batch)) {
            counter.tokens += e.getIds().length;
        }
    }
}
