package org.lsg4j.server;

import org.junit.jupiter.api.Test;
import org.lsg4j.LsgException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token budget, kinds, failure isolation, timeouts and admission, without a model. */
class BatcherTest {
    /** Records each batch it runs; blocks the first batch until released. */
    record Echo(String name, List<List<Integer>> batches, CountDownLatch gate) implements Batcher.Kind<Integer, Integer> {
        @Override
        public List<Integer> run(List<Integer> inputs) {
            batches.add(List.copyOf(inputs));
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (inputs.contains(-1)) {
                throw new LsgException("input -1 is bad");
            }
            return inputs.stream().map(i -> i * 10).toList();
        }
    }

    @Test
    void batchesKeepToTheBudgetAndTheKind() throws Exception {
        List<List<Integer>> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gate = new CountDownLatch(1);
        Echo a = new Echo("a", seen, gate);
        Echo b = new Echo("b", seen, new CountDownLatch(0));
        try (Batcher batcher = new Batcher(100, 3, 64, (n, t, ns) -> { })) {
            List<CompletableFuture<Integer>> f = new ArrayList<>();
            f.add(batcher.submit(a, 0, 10));          // runs alone, held at the gate while the rest queue up
            Thread.sleep(200);
            f.add(batcher.submit(a, 1, 30));
            f.add(batcher.submit(b, 2, 10));          // another kind
            f.add(batcher.submit(a, 3, 30));
            f.add(batcher.submit(a, 4, 40));          // 3 x 40 > 100: waits for the next batch
            f.add(batcher.submit(a, 5, 10));
            f.add(batcher.submit(a, 6, 10));          // a 4th input: over max requests
            gate.countDown();
            for (int i = 0; i < f.size(); i++) {
                assertEquals(i * 10, f.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(List.of(List.of(0), List.of(1, 3, 5), List.of(2), List.of(4, 6)), seen);
        }
    }

    @Test
    void aFailingInputFailsOnlyItself() throws Exception {
        Echo a = new Echo("a", Collections.synchronizedList(new ArrayList<>()), new CountDownLatch(1));
        try (Batcher batcher = new Batcher(1000, 8, 64, (n, t, ns) -> { })) {
            CompletableFuture<Integer> first = batcher.submit(a, 7, 1);
            Thread.sleep(100);
            CompletableFuture<Integer> bad = batcher.submit(a, -1, 1);
            CompletableFuture<Integer> good = batcher.submit(a, 2, 1);
            a.gate().countDown();
            assertEquals(70, first.get(10, TimeUnit.SECONDS));
            assertEquals(20, good.get(10, TimeUnit.SECONDS));
            Exception e = assertThrows(Exception.class, () -> bad.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof LsgException, e.toString());
        }
    }

    @Test
    void aRequestPastItsTimeoutIs503AndItsQueuedInputsAreDropped() {
        List<List<Integer>> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gate = new CountDownLatch(1);
        Echo a = new Echo("a", seen, gate);
        ServerOptions options = ServerOptions.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(1));
        Admission admission = new Admission(8);
        try (Batcher batcher = new Batcher(1000, 1, 64, (n, t, ns) -> { })) {
            Inference inference = new Inference(options, admission, batcher, new Metrics());
            ApiError e = assertThrows(ApiError.class, () -> inference.run(a, 3,
                    () -> List.of(new Inference.Job<>(1, 1), new Inference.Job<>(2, 1), new Inference.Job<>(3, 1)),
                    System.nanoTime()));
            assertEquals(503, e.status());
            assertTrue(e.getMessage().contains("timeout"), e.getMessage());
            assertEquals(0, admission.inFlight(), "permits are given back");
            gate.countDown();
        }
        assertEquals(List.of(List.of(1)), seen, "inputs 2 and 3 were dropped unrun");
    }

    @Test
    void closingFailsWhatIsStillQueuedAndLetsTheRunningBatchFinish() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Echo a = new Echo("a", Collections.synchronizedList(new ArrayList<>()), gate);
        Batcher batcher = new Batcher(1000, 1, 64, (n, t, ns) -> { });
        CompletableFuture<Integer> running = batcher.submit(a, 1, 1);
        Thread.sleep(100);
        CompletableFuture<Integer> queued = batcher.submit(a, 2, 1);
        Thread closer = Thread.ofVirtual().start(batcher::close);
        Thread.sleep(100);
        Exception e = assertThrows(Exception.class, () -> queued.get(10, TimeUnit.SECONDS));
        assertEquals(503, ((ApiError) e.getCause()).status());
        assertEquals(503, assertThrows(ApiError.class, () -> batcher.submit(a, 3, 1)).status());
        gate.countDown();
        assertEquals(10, running.get(10, TimeUnit.SECONDS));
        closer.join();
    }

    @Test
    void admissionRefusesPastItsLimit() {
        Admission admission = new Admission(3);
        try (Admission.Permit p = admission.acquire(2)) {
            assertEquals(2, admission.inFlight());
            assertEquals(429, assertThrows(ApiError.class, () -> admission.acquire(2)).status());
            admission.acquire(1).close();
        }
        assertEquals(0, admission.inFlight());
        assertEquals(429, assertThrows(ApiError.class, () -> admission.acquire(4)).status());
    }
}
