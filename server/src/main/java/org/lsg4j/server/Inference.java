package org.lsg4j.server;

import org.lsg4j.LsgException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a request's inputs through the batcher: admission first (429 when the inputs in flight are
 * at their limit), then the caller's encoding, then one queued input each, waited for until the
 * request's deadline (503 past it, the inputs not yet run dropped). A failure of the model on an
 * input is the input's fault when it is an {@link LsgException} (422), else the server's (500).
 */
final class Inference {
    private final ServerOptions options;
    private final Admission admission;
    private final Batcher batcher;
    private final Metrics metrics;

    Inference(ServerOptions options, Admission admission, Batcher batcher, Metrics metrics) {
        this.options = options;
        this.admission = admission;
        this.batcher = batcher;
        this.metrics = metrics;
    }

    /** An input ready to queue: what the batch kind reads, and its length in tokens. */
    record Job<I>(I input, int tokens) {
    }

    /** Makes the jobs of a request once its inputs are admitted (encoding, validation). */
    @FunctionalInterface
    interface Prepare<I> {
        List<Job<I>> jobs();
    }

    /**
     * Runs {@code count} inputs of a request as {@code kind}; results in input order.
     *
     * @param started the request's arrival ({@link System#nanoTime()}), from which its deadline runs
     */
    <I, O> List<O> run(Batcher.Kind<I, O> kind, int count, Prepare<I> prepare, long started) {
        try (Admission.Permit ignored = admission.acquire(Math.max(1, count))) {
            List<Job<I>> jobs = prepare.jobs();
            List<CompletableFuture<O>> futures = new ArrayList<>(jobs.size());
            try {
                for (Job<I> job : jobs) {
                    futures.add(batcher.submit(kind, job.input(), job.tokens()));
                }
                long deadline = started + options.requestTimeout().toNanos();
                List<O> results = new ArrayList<>(futures.size());
                for (CompletableFuture<O> f : futures) {
                    results.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                }
                for (Job<I> job : jobs) {
                    metrics.tokens(job.tokens());
                }
                return results;
            } catch (TimeoutException e) {
                throw new ApiError(503, "overloaded", "the request took longer than the "
                        + options.requestTimeout().toSeconds() + " s timeout (--request-timeout)");
            } catch (ExecutionException e) {
                throw unwrap(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiError(503, "unhealthy", "the request was interrupted");
            } catch (CancellationException e) {
                throw new ApiError(503, "unhealthy", "the request was cancelled");
            } finally {
                for (CompletableFuture<O> f : futures) {
                    f.cancel(false);   // drops inputs not yet run; no effect on those done
                }
            }
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof ApiError a) {
            return a;
        }
        if (cause instanceof LsgException e) {
            return ApiError.validation(e.getMessage());
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException(cause);
    }
}
