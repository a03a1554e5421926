package org.lsg4j.server;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The request parsing of lsg serve: a body on any POST route of a server holding a tiny masked-LM
 * model (lsg-roberta's norm-f4-mlm-adaptive with a byte-level tokenizer). Every answer must be a
 * 200 or a 4xx with a JSON error body, never a 500 (which the server gives for an unexpected
 * exception) or anything slower than 10 s.
 */
class RequestFuzzTest {
    private static final List<String> ROUTES = List.of("/embed", "/embed_all", "/predict", "/rerank", "/similarity",
            "/tokenize", "/decode", "/v1/embeddings", "/fill-mask", "/classify", "/token-classify", "/qa", "/attention");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LsgServer SERVER;

    static {
        try {
            Path dir = Files.createTempDirectory("lsg4j-fuzz-server");
            dir.toFile().deleteOnExit();
            Path model = TestServer.taskFolder("norm-f4-mlm-adaptive", dir.resolve("mlm"));
            model.toFile().deleteOnExit();
            for (Path f : List.of(model.resolve("config.json"), model.resolve("model.safetensors"),
                    model.resolve("vocab.json"), model.resolve("merges.txt"))) {
                f.toFile().deleteOnExit();
            }
            ServedModel served = ServedModel.load(model, "tiny-mlm", 1, line -> { });
            SERVER = LsgServer.start(served, ServerOptions.defaults().withAddress("127.0.0.1", 0), line -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void request(FuzzedDataProvider data) {
        String route = ROUTES.get(data.consumeInt(0, ROUTES.size() - 1));
        byte[] body = data.consumeRemainingAsBytes();
        long start = System.nanoTime();
        LsgServer.Response r = SERVER.post(route, body);
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (r.status() >= 500 || r.status() < 200 || r.status() >= 300 && r.status() < 400 || ms > 10_000) {
            throw new AssertionError(route + ": " + r.status() + " after " + ms + " ms: " + new String(r.body()));
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(route + ": the answer is not JSON: " + new String(r.body()), e);
        }
        if (r.status() >= 400 && !answer.path("error").isTextual() && !answer.path("message").isTextual()) {
            throw new AssertionError(route + ": an error without a message: " + answer);
        }
    }
}
