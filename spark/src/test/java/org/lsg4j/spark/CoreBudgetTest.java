package org.lsg4j.spark;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor's cores, and the budget that keeps kernel threads within them. */
class CoreBudgetTest {
    @Test
    void executorCoresFromTheConfOrTheMaster() {
        assertEquals(6, CoreBudget.executorCores("yarn", 6, 64));
        assertEquals(2, CoreBudget.executorCores("local[2]", 0, 64));
        assertEquals(2, CoreBudget.executorCores("local[2,3]", 0, 64));
        assertEquals(64, CoreBudget.executorCores("local[*]", 0, 64));
        assertEquals(1, CoreBudget.executorCores("local", 0, 64));
        assertEquals(3, CoreBudget.executorCores("local-cluster[2, 3, 1024]", 0, 64));
        assertEquals(64, CoreBudget.executorCores("spark://host:7077", 0, 64), "standalone: all of the worker's");
    }

    @Test
    void concurrentForwardsNeverHoldMoreThreadsThanCores() throws Exception {
        CoreBudget budget = new CoreBudget(4);
        AtomicInteger inUse = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService tasks = Executors.newFixedThreadPool(8);   // 8 task threads on 4 cores
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int threads = 1 + t % 3;   // forwards of 1, 2 and 3 workers
                done.add(tasks.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        try (CoreBudget.Lease lease = budget.acquire(threads)) {
                            assertEquals(threads, lease.workers().count());
                            most.accumulateAndGet(inUse.addAndGet(threads), Math::max);
                            lease.workers().run(threads, (task, worker) -> Thread.onSpinWait());
                            inUse.addAndGet(-threads);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            tasks.shutdown();
        }
        assertTrue(most.get() <= 4, "at most 4 kernel threads at once, saw " + most.get());
        assertTrue(most.get() >= 3, "forwards ran side by side: " + most.get());
        assertEquals(1, new CoreBudget(4).acquire(1).workers().count());
        assertEquals(4, new CoreBudget(4).acquire(16).workers().count(), "capped at the cores");
    }
}
