package org.lsg4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.search.Corpus;
import org.lsg4j.search.DocumentEmbedder;
import org.lsg4j.search.SearchIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lsg search}: semantic search over whole documents. Every document is embedded whole (up to the
 * model's length, 4,096 tokens for the default model) into an index kept beside the documents and
 * updated for the files that changed; a query is embedded the same way and the documents are ranked by
 * cosine. Each result shows its best passage: the window of a few sentences whose vector, the mean of
 * its tokens' outputs in the document's own forward pass, is closest to the query (see
 * {@link org.lsg4j.pipelines.EmbeddingPipeline#embedSpans}).
 */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Search whole documents by meaning. Embeds every document of --docs whole (txt, md and html "
            + "files of a folder, or the {\"id\", \"text\"} lines of a .jsonl file) into an index beside them, "
            + "made once and updated for changed files, then prints the documents closest to each query, with "
            + "their best passage. Progress on stderr (a live line on a terminal).",
        footer = {"", "Examples:",
                "  lsg search --docs notes/ \"how do I renew the certificate\"",
                "  lsg search --docs reports.jsonl --top-k 3 --json \\", "      \"effects of the storm on the harbour\""})
final class SearchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN_CHARS = 300;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOption model;

    @Option(names = "--docs", required = true, paramLabel = "DIR|FILE.jsonl",
            description = "The documents: a folder (searched recursively) or a JSON-lines file.")
    private Path docs;

    @Option(names = "--top-k", paramLabel = "N", defaultValue = "5",
            description = "Documents to print per query (default: ${DEFAULT-VALUE}).")
    private int topK;

    @Option(names = "--json", description = "Print one JSON object per query instead of text.")
    private boolean json;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the model's matrix work (default: all processors).")
    private Integer threads;

    @Parameters(paramLabel = "QUERY", arity = "1..*", description = "What to look for, in your own words.")
    private List<String> queries;

    @Override
    public Integer call() {
        if (topK < 1) {
            throw new LsgException("--top-k must be at least 1, got " + topK);
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new LsgException("--threads must be at least 1, got " + n);
        }
        PrintWriter err = spec.commandLine().getErr();
        Corpus corpus = Corpus.open(docs);
        Path dir = model.resolve();
        try (Workers workers = Workers.create(n)) {
            TaskModel loaded = model.load(Head.BASE, dir).withWorkers(workers);
            DocumentEmbedder embedder = new DocumentEmbedder(loaded);
            boolean terminal = CliContext.of(spec).terminal();
            IndexProgress bar = new IndexProgress(err);
            long start = System.nanoTime();
            SearchIndex.Update u = SearchIndex.update(corpus, embedder, embedder.key(dir, model.overrides()),
                    terminal ? bar : SearchIndex.Progress.NONE, w -> warn(err, w));
            bar.finish();
            err.println("lsg search: " + summary(u, System.nanoTime() - start, loaded.maxTokens(), corpus.indexFile()));
            err.flush();

            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> texts = new HashMap<>();
            for (String query : queries) {
                List<SearchIndex.Hit> hits = u.index().search(embedder.query(query), topK);
                if (json) {
                    out.println(json(query, hits, corpus, texts));
                } else {
                    print(out, query, hits, corpus, texts);
                }
                out.flush();
            }
        }
        return 0;
    }

    private static void warn(PrintWriter err, String message) {
        err.println("lsg: warning: " + message);
        err.flush();
    }

    static String summary(SearchIndex.Update u, long nanos, int maxTokens, Path index) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%,d document%s", u.index().size(), u.index().size() == 1 ? "" : "s"));
        if (u.embedded() == 0 && u.removed() == 0) {
            s.append(", index up to date");
        } else {
            double seconds = nanos / 1e9;
            s.append(String.format(Locale.ROOT, " (%,d embedded, %,d unchanged, %,d removed), %,d tokens in %.1f s"
                            + " (%,.0f tokens/s)", u.embedded(), u.reused(), u.removed(), u.tokens(), seconds,
                    u.tokens() / Math.max(seconds, 1e-9)));
        }
        if (u.truncated() > 0) {
            s.append(String.format(Locale.ROOT, "; %,d longer than %d tokens, read up to there", u.truncated(), maxTokens));
        }
        return s.append("; index ").append(index).toString();
    }

    private static String passage(SearchIndex.Hit h, Corpus corpus, Map<String, String> texts) {
        if (h.passageStart() < 0) {
            return "";
        }
        String text = texts.computeIfAbsent(h.file() + "\u0000" + h.id(), k -> corpus.text(h.file(), h.id()));
        return text.substring(h.passageStart(), Math.min(text.length(), h.passageEnd()));
    }

    private static void print(PrintWriter out, String query, List<SearchIndex.Hit> hits, Corpus corpus,
                              Map<String, String> texts) {
        out.println("query: " + query);
        int rank = 1;
        for (SearchIndex.Hit h : hits) {
            out.printf(Locale.ROOT, "%2d. %.4f  %s%n", rank++, h.score(), h.id());
            String p = passage(h, corpus, texts).replaceAll("\\s+", " ").strip();
            if (!p.isEmpty()) {
                out.printf(Locale.ROOT, "    passage %.4f (chars %d-%d): %s%n", h.passageScore(), h.passageStart(),
                        h.passageEnd(), p.length() <= SHOWN_CHARS ? p : p.substring(0, SHOWN_CHARS) + "...");
            }
        }
    }

    private static String json(String query, List<SearchIndex.Hit> hits, Corpus corpus, Map<String, String> texts) {
        ObjectNode root = JSON.createObjectNode();
        root.put("query", query);
        var results = root.putArray("results");
        int rank = 1;
        for (SearchIndex.Hit h : hits) {
            ObjectNode r = results.addObject();
            r.put("rank", rank++);
            r.put("id", h.id());
            r.put("file", h.file());
            r.put("score", h.score());
            if (h.passageStart() >= 0) {
                r.putObject("passage").put("text", passage(h, corpus, texts)).put("start", h.passageStart())
                        .put("end", h.passageEnd()).put("score", h.passageScore());
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
