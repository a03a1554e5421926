package org.lsg4j.server;

import java.util.concurrent.Semaphore;

/**
 * The bound on inputs in flight (queued or running): a request takes one permit per input before
 * anything is queued and gives them back when it answers; when they are not there at once it gets
 * 429 rather than waiting, as text-embeddings-inference's {@code --max-concurrent-requests}.
 */
final class Admission {
    private final int limit;
    private final Semaphore permits;

    Admission(int limit) {
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /** Holds {@code n} permits until closed. */
    final class Permit implements AutoCloseable {
        private final int n;
        private boolean released;

        private Permit(int n) {
            this.n = n;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                permits.release(n);
            }
        }
    }

    /** Takes {@code n} permits now, or fails with 429. */
    Permit acquire(int n) {
        if (n > limit || !permits.tryAcquire(n)) {
            throw ApiError.overloaded();
        }
        return new Permit(n);
    }

    /** Inputs admitted and not yet answered. */
    int inFlight() {
        return limit - permits.availablePermits();
    }
}
