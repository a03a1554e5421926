package org.lsg4j.server;

import org.lsg4j.LsgException;
import org.lsg4j.pipelines.Pooling;

import java.time.Duration;

/**
 * How {@code lsg serve} runs: where it listens, how it batches, and the limits that keep its
 * memory bounded whatever clients send. The defaults are text-embeddings-inference's where it has
 * the setting (max batch tokens 16384, 32 inputs per request, 2 MB bodies, auto-truncate on), except
 * concurrent inputs: 64 rather than TEI's 512, since an lsg4j input may be a 4096-token document
 * that takes a second or more: 64 queued inputs are already a minute of work on a small machine,
 * and each waiting input holds its text (up to the payload limit).
 *
 * @param host                  address to bind (127.0.0.1: this machine only)
 * @param port                  TCP port, 0 for any free one
 * @param maxBatchTokens        a batch's padded size: requests x longest input, in tokens
 * @param maxBatchRequests      inputs in one batch
 * @param maxConcurrentRequests inputs admitted at once (queued or running); past it, 429
 * @param maxClientBatchSize    inputs one request may carry; past it, 413
 * @param payloadLimit          bytes of one request body; past it, 413
 * @param requestTimeout        how long a request may wait for its results; past it, 503
 * @param shutdownGrace         how long a stop waits for requests in flight
 * @param apiKey                the Bearer token every API call must carry, or null for none
 * @param autoTruncate          what {@code truncate} means when a request leaves it out
 * @param pooling               how /embed pools the encoder's output
 * @param servedModelName       the name /info and /v1/embeddings report, or null for the model as given
 */
public record ServerOptions(String host, int port, int maxBatchTokens, int maxBatchRequests,
                            int maxConcurrentRequests, int maxClientBatchSize, int payloadLimit,
                            Duration requestTimeout, Duration shutdownGrace, String apiKey, boolean autoTruncate,
                            Pooling pooling, String servedModelName) {

    public ServerOptions {
        if (host == null || host.isBlank()) {
            throw new LsgException("--host must name an address, got '" + host + "'");
        }
        if (port < 0 || port > 65535) {
            throw new LsgException("--port must be in [0, 65535], got " + port);
        }
        positive("--max-batch-tokens", maxBatchTokens);
        positive("--max-batch-requests", maxBatchRequests);
        positive("--max-concurrent-requests", maxConcurrentRequests);
        positive("--max-client-batch-size", maxClientBatchSize);
        positive("--payload-limit", payloadLimit);
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new LsgException("--request-timeout must be positive, got " + requestTimeout);
        }
        if (apiKey != null && apiKey.isEmpty()) {
            throw new LsgException("--api-key must not be empty");
        }
    }

    /** Loopback on port 8080 with the defaults above, no API key, mean pooling, the model named as given. */
    public static ServerOptions defaults() {
        return new ServerOptions("127.0.0.1", 8080, 16384, 32, 64, 32, 2_000_000, Duration.ofSeconds(60),
                Duration.ofSeconds(30), null, true, Pooling.MEAN, null);
    }

    public ServerOptions withAddress(String h, int p) {
        return new ServerOptions(h, p, maxBatchTokens, maxBatchRequests, maxConcurrentRequests, maxClientBatchSize,
                payloadLimit, requestTimeout, shutdownGrace, apiKey, autoTruncate, pooling, servedModelName);
    }

    public ServerOptions withBatching(int tokens, int requests, int concurrent) {
        return new ServerOptions(host, port, tokens, requests, concurrent, maxClientBatchSize, payloadLimit,
                requestTimeout, shutdownGrace, apiKey, autoTruncate, pooling, servedModelName);
    }

    public ServerOptions withLimits(int clientBatchSize, int payloadBytes) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxConcurrentRequests, clientBatchSize,
                payloadBytes, requestTimeout, shutdownGrace, apiKey, autoTruncate, pooling, servedModelName);
    }

    public ServerOptions withTimeouts(Duration request, Duration grace) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxConcurrentRequests, maxClientBatchSize,
                payloadLimit, request, grace, apiKey, autoTruncate, pooling, servedModelName);
    }

    public ServerOptions withApiKey(String key) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxConcurrentRequests, maxClientBatchSize,
                payloadLimit, requestTimeout, shutdownGrace, key, autoTruncate, pooling, servedModelName);
    }

    public ServerOptions withEmbedding(Pooling p, boolean truncate) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxConcurrentRequests, maxClientBatchSize,
                payloadLimit, requestTimeout, shutdownGrace, apiKey, truncate, p, servedModelName);
    }

    public ServerOptions withServedModelName(String name) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxConcurrentRequests, maxClientBatchSize,
                payloadLimit, requestTimeout, shutdownGrace, apiKey, autoTruncate, pooling, name);
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new LsgException(option + " must be at least 1, got " + value);
        }
    }
}
