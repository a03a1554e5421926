package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lsg serve} as a process: SIGTERM finishes the request in progress and refuses new
 * connections; a server killed with SIGKILL starts again on the same port and answers the same.
 * Loopback only.
 */
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    /** A running {@code lsg serve} and its stderr. */
    private record Server(Process process, Path log, int port) {
    }

    private Server start(int port, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--model", CliRun.model("mlm-norm-b16")));
        args.addAll(List.of(extra));
        return startWith(port, args);
    }

    /** {@code lsg serve ARGS --port PORT --threads 2}, with LSG4J_HOME the tests' cache. */
    private Server startWith(int port, List<String> args) throws Exception {
        Path log = Files.createTempFile(tmp, "serve", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", Integer.toString(port), "--threads", "2"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("LSG4J_HOME", CliRun.TEST_CACHE.toAbsolutePath().toString());
        Process p = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                return new Server(p, log, Integer.parseInt(m.group(1)));
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new AssertionError("lsg serve did not start: " + Files.readString(log));
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String longDocument(int words) {
        StringBuilder sb = new StringBuilder();
        String[] pool = {"long", "documents", "need", "attention", "that", "scales", "with", "length"};
        for (int i = 0; i < words; i++) {
            sb.append(pool[(i * 7 + i / 3) % pool.length]).append(' ');
        }
        return sb.toString().strip();
    }

    @Test
    void withoutAModelItServesTheDefaultModelAsSentenceTransformersEmbeds() throws Exception {
        String text = "The committee approved the budget for the new library.";
        float[] expected = DefaultModelCommandTest.sentenceEmbedding(text);
        Server s = startWith(0, List.of());
        try {
            HttpResponse<String> r = post(s.port(), "/embed", "{\"inputs\": \"" + text + "\"}");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode vector = CliRun.JSON.readTree(r.body()).get(0);
            assertEquals(384, vector.size());
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], vector.get(j).floatValue(), 1e-6f, "component " + j);
            }
            assertTrue(get(s.port(), "/info").contains("lsg-all-minilm-l6-v2-4096"), get(s.port(), "/info"));
        } finally {
            s.process().destroy();
            s.process().waitFor(60, TimeUnit.SECONDS);
            s.process().destroyForcibly();
        }
    }

    @Test
    void sigtermFinishesTheRequestInProgressAndRefusesNewConnections() throws Exception {
        Server s = start(0, "--shutdown-grace", "60");
        try {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            var inputs = body.putArray("inputs");
            for (int i = 0; i < 12; i++) {
                inputs.add(longDocument(2000 + i));
            }
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(s.port(), "/embed", body.toString());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // wait until the server holds the request's inputs
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!get(s.port(), "/metrics").matches("(?s).*lsg_inputs_in_flight [1-9].*")) {
                assertTrue(System.nanoTime() < deadline, "the request never arrived");
                Thread.sleep(20);
            }
            s.process().destroy();   // SIGTERM
            boolean refused = false;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!refused && System.nanoTime() < deadline) {
                try (Socket ignored = new Socket("127.0.0.1", s.port())) {
                    Thread.sleep(20);
                } catch (ConnectException e) {
                    refused = true;
                }
            }
            assertTrue(refused, "new connections are refused once SIGTERM is received");
            assertFalse(inFlight.isDone(), "the refusal came while the request was still running");
            HttpResponse<String> r = inFlight.get(120, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(12, CliRun.JSON.readTree(r.body()).size());
            assertTrue(s.process().waitFor(60, TimeUnit.SECONDS), "the server exits");
            String log = Files.readString(s.log());
            assertTrue(log.contains("stopping: finishing the requests in progress") && log.contains("stopped"), log);
        } finally {
            s.process().destroyForcibly();
        }
    }

    @Test
    void killedWithSigkillItStartsAgainOnTheSamePortAndAnswersTheSame() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String request = "{\"inputs\": \"" + longDocument(300) + "\"}";
        Server first = start(port);
        JsonNode before;
        try {
            HttpResponse<String> r = post(port, "/embed", request);
            assertEquals(200, r.statusCode(), r.body());
            before = CliRun.JSON.readTree(r.body());
            first.process().destroyForcibly();   // SIGKILL: no shutdown hook runs
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, first.process().exitValue());
        } finally {
            first.process().destroyForcibly();
        }
        Server second = start(port);
        try {
            assertEquals(port, second.port());
            assertEquals("", get(port, "/health"));
            HttpResponse<String> r = post(port, "/embed", request);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(before, CliRun.JSON.readTree(r.body()), "the same vector after a restart");
        } finally {
            second.process().destroy();
            second.process().waitFor(60, TimeUnit.SECONDS);
            second.process().destroyForcibly();
        }
    }

    static {
        try {
            Files.createDirectories(Path.of("target"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
