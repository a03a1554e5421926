package org.lsg4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A server on a loopback ephemeral port for tests, and a client for it. */
final class TestServer implements AutoCloseable {
    static final Path SHARED = Path.of(System.getProperty("lsg.shared", "../shared"));
    static final Path PIPELINES = SHARED.resolve("fixtures/pipelines");
    static final ObjectMapper JSON = new ObjectMapper();

    final ServedModel model;
    final LsgServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    record Reply(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    TestServer(Path modelDir, ServerOptions options) {
        this.model = ServedModel.load(modelDir, modelDir.getFileName().toString(), 2, log::add);
        this.server = LsgServer.start(model, options.withAddress("127.0.0.1", 0), log::add);
    }

    TestServer(Path modelDir) {
        this(modelDir, ServerOptions.defaults());
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    Reply post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    Reply post(String path, JsonNode body, String... headers) {
        return post(path, body.toString(), headers);
    }

    Reply get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new AssertionError(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public void close() {
        server.close();
        model.close();
        client.close();
    }

    /**
     * A model folder for the token-classification and question-answering endpoints: a
     * ../shared/fixtures/lsg-roberta model (no tokenizer of its own) with a byte-level tokenizer
     * whose 261 ids fit its vocabulary (the special tokens, the 256 byte symbols, no merges).
     */
    static Path taskFolder(String fixture, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String file : new String[]{"config.json", "model.safetensors"}) {
            Files.copy(SHARED.resolve("fixtures/lsg-roberta").resolve(fixture).resolve(file), dir.resolve(file));
        }
        ObjectNode vocab = object();
        for (String special : new String[]{"<s>", "<pad>", "</s>", "<unk>"}) {
            vocab.put(special, vocab.size());
        }
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            vocab.put(String.valueOf((char) (printable ? b : 256 + shifted++)), vocab.size());
        }
        vocab.put("<mask>", vocab.size());
        Files.writeString(dir.resolve("vocab.json"), vocab.toString());
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
        return dir;
    }

    /** A text of about {@code words} words. */
    static String words(int words, int seed) {
        String[] pool = {"the", "report", "finds", "that", "long", "documents", "need", "attention", "which",
                "scales", "linearly", "with", "length", "Paris", "museum", "opens", "at", "nine", "cat", "sleeps"};
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < words; i++) {
            sb.append(i == 0 ? "" : " ").append(pool[r.nextInt(pool.length)]);
        }
        return sb.append('.').toString();
    }
}
