package org.lsg4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.LsgException;
import org.lsg4j.Version;
import org.lsg4j.io.StrictJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * {@code lsg serve}: text-embeddings-inference's HTTP API, lsg4j's pipelines and the page that
 * shows how LSG reads a document, for one {@link ServedModel}.
 *
 * <p>Built on the JDK's own HTTP server ({@code com.sun.net.httpserver}, module jdk.httpserver)
 * with one virtual thread per request: no dependency, and the model work is not the server's
 * (it runs in batches on the model's workers, see {@link Batcher}), so the server only has to park
 * cheap threads while they wait. What keeps memory bounded whatever clients send: request bodies
 * are refused past {@code --payload-limit} (413) before they are read, inputs per request past
 * {@code --max-client-batch-size} (413), inputs in flight past {@code --max-concurrent-requests}
 * (429, nothing queued), connections past {@value #MAX_CONNECTIONS} and requests whose headers
 * and body take more than {@value #MAX_REQUEST_SECONDS} s to arrive are closed by the JDK server.
 *
 * <p>Stopping is graceful: the listening socket closes at once (new connections are refused),
 * requests already in progress finish within {@code --shutdown-grace}, and requests that still
 * arrive on open connections get 503.
 */
public final class LsgServer implements AutoCloseable {
    /** What /info reports as the version. */
    static final String VERSION = "lsg4j " + Version.version();
    static final int MAX_CONNECTIONS = 4096;
    static final int MAX_REQUEST_SECONDS = 60;
    /** The most bytes of a refused body read and dropped before answering 413. */
    static final long MAX_DRAIN = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // the JDK server reads its limits from system properties, once; leave any the user set
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
    }

    private final ServerOptions options;
    private final HttpServer http;
    private final ExecutorService threads;
    private final Batcher batcher;
    private final Metrics metrics;
    private final Consumer<String> log;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final byte[] apiKey;
    private volatile boolean stopping;

    /** An endpoint: its method, whether it needs the API key, and what it answers. */
    private record Route(String method, boolean open, Handler handler) {
    }

    @FunctionalInterface
    private interface Handler {
        Response handle(Fields body, long started) throws IOException;
    }

    record Response(int status, String contentType, byte[] body) {
    }

    /** Work that answers a request. */
    @FunctionalInterface
    private interface Work {
        Response run() throws IOException;
    }

    private LsgServer(ServedModel model, ServerOptions options, Consumer<String> log) throws IOException {
        this.options = options;
        this.log = log;
        this.apiKey = options.apiKey() == null ? null : ("Bearer " + options.apiKey()).getBytes(StandardCharsets.UTF_8);
        if (options.maxBatchTokens() < model.model().maxTokens()) {
            throw new org.lsg4j.LsgException("--max-batch-tokens " + options.maxBatchTokens()
                    + " must be at least the model's length, " + model.model().maxTokens() + " tokens");
        }
        Admission admission = new Admission(options.maxConcurrentRequests());
        this.metrics = new Metrics();
        this.batcher = new Batcher(options.maxBatchTokens(), options.maxBatchRequests(),
                options.maxConcurrentRequests(), metrics::batch);
        Inference inference = new Inference(options, admission, batcher, metrics);
        TeiApi tei = new TeiApi(model, options, inference);
        PipelineApi pipelines = new PipelineApi(model, options, inference);
        AttentionApi attention = new AttentionApi(model, inference);

        post("/embed", tei::embed);
        post("/embed_all", tei::embedAll);
        post("/predict", tei::predict);
        post("/rerank", tei::rerank);
        post("/similarity", tei::similarity);
        post("/tokenize", (b, s) -> tei.tokenize(b));
        post("/decode", (b, s) -> tei.decode(b));
        post("/v1/embeddings", tei::openAi);
        post("/fill-mask", pipelines::fillMask);
        post("/classify", pipelines::classify);
        post("/token-classify", pipelines::tokenClassify);
        post("/qa", pipelines::qa);
        post("/attention", attention::attention);
        routes.put("/info", new Route("GET", false, (b, s) -> json(200, tei.info())));
        routes.put("/health", new Route("GET", true, (b, s) -> stopping
                ? error(new ApiError(503, "unhealthy", "the server is shutting down"), false)
                : new Response(200, "text/plain", new byte[0])));
        routes.put("/metrics", new Route("GET", true, (b, s) ->
                new Response(200, "text/plain; version=0.0.4", metrics.render(batcher.queued(), admission.inFlight()).getBytes(StandardCharsets.UTF_8))));
        page("/", "index.html", "text/html; charset=utf-8");
        page("/app.js", "app.js", "text/javascript; charset=utf-8");
        page("/style.css", "style.css", "text/css; charset=utf-8");

        this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        this.threads = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(threads);
        http.createContext("/", this::exchange);
    }

    /**
     * Starts serving {@code model}; returns once the port is bound.
     *
     * @param log where the server reports (start, stop, internal errors)
     */
    public static LsgServer start(ServedModel model, ServerOptions options, Consumer<String> log) {
        try {
            LsgServer server = new LsgServer(model, options, log);
            server.http.start();
            log.accept("serving " + model.name() + " (" + model.model().model().architecture() + ") on http://"
                    + options.host() + ":" + server.port() + "/");
            return server;
        } catch (IOException e) {
            throw new org.lsg4j.LsgException("cannot listen on " + options.host() + ":" + options.port() + ": "
                    + e.getMessage());
        }
    }

    /** The port it listens on (the one the system chose for port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /**
     * Stops gracefully: refuses new connections, lets the requests in progress finish (up to
     * {@code --shutdown-grace}), then stops the batcher.
     */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        log.accept("stopping: finishing the requests in progress");
        http.stop((int) Math.max(1, options.shutdownGrace().toSeconds()));
        batcher.close();
        threads.shutdown();
        log.accept("stopped");
    }

    private void post(String path, JsonHandler handler) {
        routes.put(path, new Route("POST", false, (body, started) -> json(200, handler.handle(body, started))));
    }

    @FunctionalInterface
    private interface JsonHandler {
        Object handle(Fields body, long started);
    }

    private void page(String path, String resource, String type) {
        routes.put(path, new Route("GET", true, (b, s) -> {
            try (InputStream in = LsgServer.class.getResourceAsStream("web/" + resource)) {
                if (in == null) {
                    throw new IllegalStateException("resource web/" + resource + " is missing from the jar");
                }
                return new Response(200, type, in.readAllBytes());
            }
        }));
    }

    /** One request, on its own virtual thread. */
    private void exchange(HttpExchange ex) {
        long started = System.nanoTime();
        String path = ex.getRequestURI().getPath();
        Route route = routes.get(path);
        String endpoint = route == null ? "other" : path;
        Response response = answer(ex.getRequestMethod(), path, () -> respond(ex, route, started));
        try (ex) {
            if (stopping) {
                ex.getResponseHeaders().set("Connection", "close");
            }
            ex.getResponseHeaders().set("Content-Type", response.contentType());
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(response.status(), head || response.body().length == 0 ? -1 : response.body().length);
            if (!head && response.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        } finally {
            metrics.request(endpoint, response.status(), System.nanoTime() - started);
        }
    }

    /** Runs the work of a request: an {@link ApiError} is its answer, anything else a 500 that is logged. */
    private Response answer(String method, String path, Work work) {
        boolean openAi = path.equals("/v1/embeddings");
        try {
            return work.run();
        } catch (ApiError e) {
            return error(e, openAi);
        } catch (LsgException e) {
            return error(ApiError.validation(e.getMessage()), openAi);   // lsg4j's own error: the input's fault
        } catch (RuntimeException | IOException | Error e) {
            log.accept("internal error on " + method + " " + path + ": " + LsgException.oneLine(e.toString()));
            return error(new ApiError(500, "backend", "internal error: " + LsgException.oneLine(e.toString())), openAi);
        }
    }

    /**
     * The answer to a POST of {@code body} on {@code path}, as a client gets it, without HTTP: the
     * route, the body's parsing and the handler (tests and fuzzing call it directly).
     */
    Response post(String path, byte[] body) {
        return answer("POST", path, () -> {
            Route route = routes.get(path);
            if (route == null || !route.method().equals("POST")) {
                throw new ApiError(404, "validation", "no POST endpoint " + path);
            }
            return route.handler().handle(Fields.body(parse(body)), System.nanoTime());
        });
    }

    private Response respond(HttpExchange ex, Route route, long started) throws IOException {
        if (route == null) {
            throw new ApiError(404, "validation", "no endpoint " + ex.getRequestURI().getPath());
        }
        String method = ex.getRequestMethod();
        if (!method.equals(route.method()) && !(method.equals("HEAD") && route.method().equals("GET"))) {
            ex.getResponseHeaders().set("Allow", route.method());
            throw new ApiError(405, "validation", ex.getRequestURI().getPath() + " takes " + route.method()
                    + ", not " + method);
        }
        if (!route.open() && !authorized(ex)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new ApiError(401, "unauthorized", "missing or wrong API key: send Authorization: Bearer <key>");
        }
        if (stopping && !route.open()) {
            throw new ApiError(503, "unhealthy", "the server is shutting down");
        }
        Fields body = route.method().equals("POST") ? Fields.body(parse(read(ex))) : null;
        return route.handler().handle(body, started);
    }

    /** Constant-time comparison of the whole Authorization header with "Bearer KEY". */
    private boolean authorized(HttpExchange ex) {
        if (apiKey == null) {
            return true;
        }
        String given = ex.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(apiKey, given.getBytes(StandardCharsets.UTF_8));
    }

    /** The body, refused with 413 past the payload limit, whether its length is announced or not. */
    private byte[] read(HttpExchange ex) throws IOException {
        int limit = options.payloadLimit();
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw new ApiError(400, "validation", "bad Content-Length " + declared);
            }
            if (length > limit) {
                drain(ex);
                throw payloadTooLarge(length);
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                drain(ex);
                throw payloadTooLarge(-1);
            }
            return body;
        }
    }

    /**
     * Reads and drops what is left of a refused body (up to {@value #MAX_DRAIN} bytes, through a
     * small buffer), so that the client, still sending, reads the 413 instead of a reset
     * connection; the connection is then closed.
     */
    private static void drain(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Connection", "close");
        try (InputStream in = ex.getRequestBody()) {
            byte[] buffer = new byte[16384];
            long left = MAX_DRAIN;
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                left -= n;
            }
        }
    }

    private ApiError payloadTooLarge(long length) {
        return ApiError.tooLarge("the request body " + (length < 0 ? "is longer than" : "has " + length + " bytes, over")
                + " the payload limit of " + options.payloadLimit() + " bytes (--payload-limit)");
    }

    /** The body as one strict JSON document (see {@link StrictJson}): a second value, bad UTF-8 or deep nesting is a 422. */
    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiError.validation("the request body is empty: expected a JSON object");
        }
        try {
            return StrictJson.parse(body, "malformed JSON body");
        } catch (LsgException e) {
            throw ApiError.validation(e.getMessage());
        }
    }

    private static Response json(int status, Object value) {
        try {
            return new Response(status, "application/json", JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TEI's error body, or OpenAI's on /v1/embeddings. */
    private static Response error(ApiError e, boolean openAi) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (openAi) {
            body.put("message", e.getMessage());
            body.put("code", e.status());
        } else {
            body.put("error", e.getMessage());
        }
        body.put("error_type", e.type());
        return json(e.status(), body);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
