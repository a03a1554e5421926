package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.hub.DefaultModel;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.pipelines.Pooling;
import org.lsg4j.pipelines.SentenceTransformersConfig;
import org.lsg4j.server.LsgServer;
import org.lsg4j.server.ServedModel;
import org.lsg4j.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code lsg serve}: an HTTP server with text-embeddings-inference's API, lsg4j's pipelines and a
 * page that shows LSG attention (see {@link LsgServer}). Runs until SIGTERM or SIGINT, which stop
 * it gracefully: new connections are refused and the requests in progress finish.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve a model over HTTP: the text-embeddings-inference API (/embed, /predict, /rerank, ...), "
            + "lsg4j's pipelines (/fill-mask, /classify, /token-classify, /qa) and, at /, a page that shows "
            + "which tokens each block of a document attends to. Inputs of concurrent requests are batched "
            + "within a token budget. SIGTERM finishes the requests in progress, refuses new ones.",
        footer = {"", "Examples:",
                "  lsg serve",
                "  lsg serve --model ccdv/lsg-distilroberta-base-4096",
                "  lsg serve --model DIR --port 9000 --threads 4 --max-batch-tokens 32768",
                "  LSG_API_KEY=secret lsg serve --model DIR --host 0.0.0.0"})
final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|ORG/NAME[@REV]",
            description = "A model folder, or a Hugging Face Hub id (optionally @revision) from the Hub cache or "
            + "downloaded into it. Default: " + DefaultModel.NAME + ", made once from the jar.")
    private String model;

    @Option(names = "--offline", description = "Never use the network (as HF_HUB_OFFLINE=1).")
    private boolean offline;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    private String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--threads", paramLabel = "N",
            description = "Workers the model's kernels run on (default: all processors).")
    private Integer threads;

    @Option(names = "--max-batch-tokens", paramLabel = "N", defaultValue = "16384",
            description = "Padded tokens in one batch: inputs x longest input (default: ${DEFAULT-VALUE}).")
    private int maxBatchTokens;

    @Option(names = "--max-batch-requests", paramLabel = "N", defaultValue = "32",
            description = "Inputs in one batch (default: ${DEFAULT-VALUE}).")
    private int maxBatchRequests;

    @Option(names = "--max-concurrent-requests", paramLabel = "N", defaultValue = "64",
            description = "Inputs queued or running at once; past it requests get 429 (default: ${DEFAULT-VALUE}).")
    private int maxConcurrentRequests;

    @Option(names = "--max-client-batch-size", paramLabel = "N", defaultValue = "32",
            description = "Inputs one request may carry; past it 413 (default: ${DEFAULT-VALUE}).")
    private int maxClientBatchSize;

    @Option(names = "--payload-limit", paramLabel = "BYTES", defaultValue = "2000000",
            description = "Largest request body; past it 413 (default: ${DEFAULT-VALUE}).")
    private int payloadLimit;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long a request may wait for its results; past it 503 (default: ${DEFAULT-VALUE}).")
    private long requestTimeout;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long a stop waits for the requests in progress (default: ${DEFAULT-VALUE}).")
    private long shutdownGrace;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:LSG_API_KEY}",
            description = "Require Authorization: Bearer KEY on the API (default: $LSG_API_KEY, else none). /, /health and "
            + "/metrics stay open.")
    private String apiKey;

    @Option(names = "--auto-truncate", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Truncate inputs longer than the model when a request does not say (default: ${DEFAULT-VALUE}).")
    private boolean autoTruncate;

    @Option(names = "--pooling", paramLabel = "cls|mean|global",
            description = "How /embed pools the encoder's output (default: the model's sentence-transformers pooling, "
            + "1_Pooling/config.json, else mean).")
    private String pooling;

    @Option(names = "--served-model-name", paramLabel = "NAME",
            description = "The name /info and /v1/embeddings report (default: --model as given).")
    private String servedModelName;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new LsgException("--threads must be at least 1, got " + n);
        }
        ServerOptions options = ServerOptions.defaults().withAddress(host, port)
                .withBatching(maxBatchTokens, maxBatchRequests, maxConcurrentRequests)
                .withLimits(maxClientBatchSize, payloadLimit)
                .withTimeouts(seconds("--request-timeout", requestTimeout), seconds("--shutdown-grace", shutdownGrace))
                .withApiKey(apiKey == null || apiKey.isEmpty() ? null : apiKey);
        Path dir = ModelOption.resolve(spec, model, offline);
        String name = model == null ? DefaultModel.NAME : model;
        options = options.withEmbedding(pooling != null ? Pooling.parse(pooling) : modelPooling(dir), autoTruncate)
                .withServedModelName(servedModelName);
        ServedModel served = ServedModel.load(dir, name, n, line -> log(err, line));
        LsgServer server = LsgServer.start(served, options, line -> log(err, line));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            served.close();
            stopped.countDown();
        }, "lsg-serve-shutdown"));
        stopped.await();
        return 0;
    }

    /** The pooling the folder's sentence-transformers modules name, else mean (what TEI does too). */
    private static Pooling modelPooling(Path dir) {
        int hidden = LsgConfig.load(dir.resolve("config.json")).hiddenSize();
        return SentenceTransformersConfig.read(dir, hidden).map(SentenceTransformersConfig::pooling).orElse(Pooling.MEAN);
    }

    private static Duration seconds(String option, long value) {
        if (value < 1) {
            throw new LsgException(option + " must be at least 1 second, got " + value);
        }
        return Duration.ofSeconds(value);
    }

    private static void log(PrintWriter err, String line) {
        synchronized (err) {
            err.println("lsg serve: " + line);
            err.flush();
        }
    }
}
