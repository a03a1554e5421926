package org.lsg4j.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 32 concurrent clients sending a mix of short and long documents to /embed, /fill-mask and
 * /attention of a masked-LM fixture and /predict and /classify of a classifier, for
 * {@code -Dlsg.loadTest.seconds} seconds (5 by default; the Maven profile {@code load-test} runs
 * 60), once clean and once with 10% malformed requests. Every well-formed request must succeed and
 * every malformed one must get its 4xx with an error body; the heap after the run, collected, must
 * be back near where it started (nothing kept per request) and the queue within its bound.
 * Latencies (p50, p99) and throughput go to stdout and {@code target/load-test.txt}. Loopback
 * only; every loop ends at its deadline or after a bounded number of requests.
 */
class LoadTest {
    private static final int CLIENTS = 32;
    private static final int SECONDS = Integer.getInteger("lsg.loadTest.seconds", 5);
    private static final int MAX_REQUESTS_PER_CLIENT = 1_000_000;
    private static final Path REPORT = Path.of("target", "load-test.txt");

    private record Result(long nanos, int status, boolean malformed, String endpoint) {
    }

    @Test
    void cleanLoad() throws Exception {
        run(0.0, "clean");
    }

    @Test
    void loadWithTenPercentMalformedRequests() throws Exception {
        run(0.10, "10% malformed");
    }

    private void run(double malformedShare, String name) throws Exception {
        ServerOptions options = ServerOptions.defaults().withLimits(32, 200_000);
        try (TestServer mlm = new TestServer(TestServer.PIPELINES.resolve("mlm-norm-b16"), options);
             TestServer cls = new TestServer(TestServer.PIPELINES.resolve("text-cls-3labels-pooling-b32"), options)) {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();
            AtomicLong peakHeap = new AtomicLong();
            AtomicLong peakLive = new AtomicLong();   // the heap right after a collection: what is really held
            List<Result> results = Collections.synchronizedList(new ArrayList<>());
            Map<String, LongAdder> unexpected = new ConcurrentHashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
            CountDownLatch done = new CountDownLatch(CLIENTS);
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (done.getCount() > 0) {
                    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    long live = 0;
                    for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                            live += pool.getCollectionUsage().getUsed();
                        }
                    }
                    peakLive.accumulateAndGet(live, Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long start = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread.ofVirtual().start(() -> {
                    try {
                        SplittableRandom random = new SplittableRandom(1000L * client + name.length());
                        for (int n = 0; n < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < deadline; n++) {
                            boolean malformed = random.nextDouble() < malformedShare;
                            Result r = malformed ? malformed(random, mlm, cls) : wellFormed(random, mlm, cls);
                            results.add(r);
                            boolean ok = malformed ? r.status() >= 400 && r.status() < 500 : r.status() == 200;
                            if (!ok) {
                                unexpected.computeIfAbsent(r.endpoint() + " " + r.status(), k -> new LongAdder())
                                        .increment();
                            }
                        }
                    } catch (Throwable t) {
                        unexpected.computeIfAbsent("client error " + t, k -> new LongAdder()).increment();
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            double elapsed = (System.nanoTime() - start) / 1e9;
            sampler.join();
            System.gc();
            long heapAfter = memory.getHeapMemoryUsage().getUsed();
            int queued = mlm.get("/metrics").body().contains("lsg_queue_size 0") ? 0 : -1;
            double busyMlm = batchSeconds(mlm) / elapsed;
            double busyCls = batchSeconds(cls) / elapsed;

            List<Long> ok = new ArrayList<>();
            Map<String, List<Long>> byEndpoint = new java.util.TreeMap<>();
            int malformedCount = 0;
            for (Result r : results) {
                if (r.malformed()) {
                    malformedCount++;
                } else {
                    ok.add(r.nanos());
                    byEndpoint.computeIfAbsent(r.endpoint(), k -> new ArrayList<>()).add(r.nanos());
                }
            }
            Collections.sort(ok);
            StringBuilder perEndpoint = new StringBuilder();
            byEndpoint.forEach((endpoint, times) -> {
                Collections.sort(times);
                perEndpoint.append(String.format(Locale.ROOT, "%n  %-12s %5d requests, p50 %8.1f ms, p99 %8.1f ms",
                        endpoint, times.size(), percentile(times, 0.5), percentile(times, 0.99)));
            });
            String line = String.format(Locale.ROOT, "%s: %d clients, %.1f s, %d requests (%d malformed), %.1f requests/s;"
                            + " well-formed p50 %.1f ms, p99 %.1f ms, max %.1f ms; heap %d MB before, %d MB peak (%d MB at most"
                            + " live after a collection), %d MB after (collected); model busy %.0f%% (masked LM) and %.0f%% (classifier); unexpected: %s",
                    name, CLIENTS, elapsed, results.size(), malformedCount, results.size() / elapsed,
                    percentile(ok, 0.50), percentile(ok, 0.99), percentile(ok, 1.0), heapBefore >> 20,
                    peakHeap.get() >> 20, peakLive.get() >> 20, heapAfter >> 20, 100 * busyMlm, 100 * busyCls, unexpected) + perEndpoint;
            System.out.println("load test " + line);
            Files.writeString(REPORT, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);

            assertTrue(unexpected.isEmpty(), "requests with unexpected answers: " + unexpected);
            assertTrue(results.size() >= CLIENTS, "every client got answers: " + results.size());
            if (malformedShare > 0) {
                assertTrue(malformedCount > 0, "some requests were malformed");
            }
            assertEquals(0, queued, "the queue is empty once the clients are done");
            assertTrue(heapAfter - heapBefore < 64L << 20, "the heap after the run is back near where it started: "
                    + (heapBefore >> 20) + " MB -> " + (heapAfter >> 20) + " MB");
        }
    }

    /** The time the server's model spent on batches (lsg_batch_duration_seconds_sum). */
    private static double batchSeconds(TestServer server) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("lsg_batch_duration_seconds_sum (\\S+)")
                .matcher(server.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1));
        return sorted.get(i) / 1e6;
    }

    /** A short document (5 to 60 words) seven times in ten, else a long one (400 to 2500 words). */
    private static String document(SplittableRandom random) {
        int words = random.nextDouble() < 0.7 ? 5 + random.nextInt(56) : 400 + random.nextInt(2101);
        return TestServer.words(words, random.nextInt());
    }

    private static Result wellFormed(SplittableRandom random, TestServer mlm, TestServer cls) {
        String doc = document(random);
        return switch (random.nextInt(6)) {
            case 0 -> timed(mlm, "/embed", TestServer.object().put("inputs", doc).toString(), false);
            case 1 -> timed(mlm, "/embed", "{\"inputs\": [\"" + doc + "\", \"" + document(random) + "\"]}", false);
            case 2 -> timed(mlm, "/fill-mask", TestServer.object().put("inputs", "The <mask> " + doc).toString(), false);
            case 3 -> timed(mlm, "/attention", TestServer.object().put("text", doc).put("layer", random.nextInt(2))
                    .put("head", random.nextInt(4)).toString(), false);
            case 4 -> timed(cls, "/predict", TestServer.object().put("inputs", doc).toString(), false);
            default -> timed(cls, "/classify", "{\"inputs\": \"" + doc + "\", \"parameters\": {\"top_k\": null}}",
                    false);
        };
    }

    private static Result malformed(SplittableRandom random, TestServer mlm, TestServer cls) {
        return switch (random.nextInt(7)) {
            case 0 -> timed(mlm, "/embed", "{\"inputs\": ", true);
            case 1 -> timed(mlm, "/embed", "{\"inputs\": 42}", true);
            case 2 -> timed(mlm, "/embed", "{\"inputs\": [" + "\"a\",".repeat(40) + "\"a\"]}", true);   // 41 > 32
            case 3 -> timed(mlm, "/embed", "{\"inputs\": \"" + "x ".repeat(150_000) + "\"}", true);    // > 200 kB
            case 4 -> timed(mlm, "/fill-mask", "{\"inputs\": \"no mask\"}", true);
            case 5 -> timed(cls, "/predict", "{\"inputs\": [[\"a\", \"b\", \"c\"]]}", true);
            default -> timed(mlm, "/attention", "{\"text\": \"hello\", \"head\": 99}", true);
        };
    }

    private static Result timed(TestServer server, String path, String body, boolean malformed) {
        long t0 = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        TestServer.Reply r = server.send(request);
        if (malformed && r.status() >= 400 && r.status() < 500 && !r.body().contains("\"error\"")) {
            return new Result(System.nanoTime() - t0, 599, true, path + " (no error body)");
        }
        return new Result(System.nanoTime() - t0, r.status(), malformed, path);
    }

    static {
        try {
            Files.createDirectories(REPORT.getParent());
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
