package org.lsg4j.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of workers that split a range of tasks between them: the calling thread is
 * worker 0, the others run on a fork/join pool. Each {@link #run} hands every worker a distinct
 * index below {@link #count()}, so callers can give each worker its own scratch space. Safe to
 * share between concurrent callers; the only state is the pool.
 */
public final class Workers implements AutoCloseable {
    /** One task of a {@link #run}: {@code worker} is the index of the worker running it. */
    @FunctionalInterface
    public interface Task {
        void run(int task, int worker);
    }

    private static final Workers COMMON = new Workers(ForkJoinPool.getCommonPoolParallelism() + 1,
            ForkJoinPool.commonPool(), false);

    private final int count;
    private final ForkJoinPool pool;   // null when count == 1
    private final boolean owned;

    private Workers(int count, ForkJoinPool pool, boolean owned) {
        this.count = count;
        this.pool = pool;
        this.owned = owned;
    }

    /** n workers: the caller and a pool of n - 1 threads (none for n = 1); close to stop the pool. */
    public static Workers create(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one worker, got " + n);
        }
        return new Workers(n, n == 1 ? null : new ForkJoinPool(n - 1), true);
    }

    /** The caller plus the common fork/join pool; closing it does nothing. */
    public static Workers common() {
        return COMMON;
    }

    public int count() {
        return count;
    }

    /** Runs tasks 0 .. tasks-1, each exactly once, and returns when all are done. */
    public void run(int tasks, Task body) {
        if (pool != null && pool.isShutdown()) {
            throw new IllegalStateException("these workers are closed (" + this + ")");
        }
        int helpers = Math.min(count, tasks) - 1;
        if (helpers <= 0) {
            for (int t = 0; t < tasks; t++) {
                body.run(t, 0);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        ForkJoinTask<?>[] forks = new ForkJoinTask<?>[helpers];
        for (int w = 1; w <= helpers; w++) {
            int worker = w;
            forks[w - 1] = pool.submit(() -> drain(next, tasks, body, worker));
        }
        try {
            drain(next, tasks, body, 0);
        } finally {
            for (ForkJoinTask<?> f : forks) {
                f.join();
            }
        }
    }

    private static void drain(AtomicInteger next, int tasks, Task body, int worker) {
        for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
            body.run(t, worker);
        }
    }

    @Override
    public void close() {
        if (owned && pool != null) {
            pool.shutdown();
        }
    }

    @Override
    public String toString() {
        return "Workers[" + count + (owned ? "]" : ", common pool]");
    }
}
