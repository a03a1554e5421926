package org.lsg4j.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching with a token budget: inputs from any number of requests wait in one queue, and
 * a single thread takes the oldest one with the others of the same {@link Kind} that fit beside
 * it: at most {@code maxRequests} inputs, and inputs x longest input (the padded batch the model
 * runs) at most {@code maxTokens}. The model's kernels are spread over the workers, so running one
 * batch at a time keeps every core busy without two batches competing for them. Inputs whose
 * request gave up (a timeout) are dropped unrun. The queue holds at most {@code capacity} inputs:
 * admission is bounded before anything is queued (see {@link Admission}), so this is a guard.
 */
final class Batcher implements AutoCloseable {

    /**
     * What a batch runs: inputs of equal kinds (records compared by value: the task and the options
     * that change the computation) share a batch.
     */
    interface Kind<I, O> {
        /** Runs the inputs as one batch; one result per input, in order. */
        List<O> run(List<I> inputs);

        /** The padded tokens one batch of this kind may hold, given the server's budget. */
        default int tokenBudget(int serverBudget) {
            return serverBudget;
        }
    }

    /** Where batches are reported, for /metrics. */
    interface Listener {
        void batch(int inputs, int paddedTokens, long nanos);
    }

    private record Pending<I, O>(Kind<I, O> kind, I input, int tokens, CompletableFuture<O> result) {
    }

    private final int maxTokens;
    private final int maxRequests;
    private final int capacity;
    private final Listener listener;
    private final LinkedList<Pending<?, ?>> queue = new LinkedList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Thread thread;
    private boolean closed;

    Batcher(int maxTokens, int maxRequests, int capacity, Listener listener) {
        this.maxTokens = maxTokens;
        this.maxRequests = maxRequests;
        this.capacity = capacity;
        this.listener = listener;
        this.thread = Thread.ofPlatform().name("lsg-batcher").daemon(true).unstarted(this::loop);
        thread.start();
    }

    /**
     * Queues one input of {@code tokens} tokens (its length once encoded); the future completes with
     * its result, or with the exception the batch threw. Cancel the future to drop the input.
     */
    <I, O> CompletableFuture<O> submit(Kind<I, O> kind, I input, int tokens) {
        CompletableFuture<O> result = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                throw new ApiError(503, "unhealthy", "the server is shutting down");
            }
            if (queue.size() >= capacity) {
                throw ApiError.overloaded();
            }
            queue.add(new Pending<>(kind, input, Math.max(1, tokens), result));
            ready.signal();
        } finally {
            lock.unlock();
        }
        return result;
    }

    /** Inputs waiting for a batch. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (true) {
            List<Pending<?, ?>> batch = next();
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    /** Waits for the oldest live input and takes the compatible ones that fit beside it; null once closed and empty. */
    private List<Pending<?, ?>> next() {
        lock.lock();
        try {
            while (true) {
                queue.removeIf(p -> p.result().isDone());
                if (!queue.isEmpty()) {
                    break;
                }
                if (closed) {
                    return null;
                }
                ready.awaitUninterruptibly();
            }
            Pending<?, ?> first = queue.removeFirst();
            List<Pending<?, ?>> batch = new ArrayList<>();
            batch.add(first);
            int longest = first.tokens();
            int budget = first.kind().tokenBudget(maxTokens);
            for (Iterator<Pending<?, ?>> it = queue.iterator(); it.hasNext() && batch.size() < maxRequests; ) {
                Pending<?, ?> p = it.next();
                int widest = Math.max(longest, p.tokens());
                if (p.kind().equals(first.kind()) && (long) (batch.size() + 1) * widest <= budget) {
                    it.remove();
                    batch.add(p);
                    longest = widest;
                }
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a batch; when it fails, runs its inputs one by one, so that one bad input fails only its
     * own request.
     */
    private void run(List<Pending<?, ?>> batch) {
        long start = System.nanoTime();
        try {
            complete(batch);
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
            } else {
                for (Pending<?, ?> p : batch) {
                    try {
                        complete(List.of(p));
                    } catch (RuntimeException | Error single) {
                        p.result().completeExceptionally(single);
                    }
                }
            }
        }
        int longest = batch.stream().mapToInt(Pending::tokens).max().orElse(0);
        listener.batch(batch.size(), batch.size() * longest, System.nanoTime() - start);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void complete(List<Pending<?, ?>> batch) {
        Kind kind = batch.get(0).kind();
        List inputs = new ArrayList<>(batch.size());
        for (Pending<?, ?> p : batch) {
            inputs.add(p.input());
        }
        List<?> results = kind.run(inputs);
        if (results.size() != batch.size()) {
            throw new IllegalStateException(kind + " returned " + results.size() + " results for " + batch.size()
                    + " inputs");
        }
        for (int i = 0; i < batch.size(); i++) {
            ((CompletableFuture) batch.get(i).result()).complete(results.get(i));
        }
    }

    /**
     * Refuses new inputs, fails those still queued with 503 (the server calls this once the
     * requests in progress have had their grace time), and waits for the batch running to end.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Pending<?, ?> p : queue) {
                p.result().completeExceptionally(new ApiError(503, "unhealthy", "the server is shutting down"));
            }
            queue.clear();
            ready.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
