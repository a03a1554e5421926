package org.lsg4j.spark;

import org.apache.spark.SparkConf;
import org.lsg4j.kernels.Workers;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel threads of one executor JVM: a budget of the executor's cores that every forward pass
 * takes its workers from, so that the JVM never runs more kernel threads than it has cores.
 *
 * <p>Why one budget per JVM rather than one pool per task: an executor runs N tasks at once
 * ({@code spark.executor.cores / spark.task.cpus}), each on its own thread. If each task ran its
 * forward passes on W workers of its own, the JVM would run N x W kernel threads on C cores, and
 * with W = C (the natural choice for one task) it would run C times too many. Here a forward pass
 * first takes W of the C permits (waiting while they are in use), then runs on an idle
 * {@link Workers} of that size (the calling task thread is worker 0), and gives both back when it
 * is done. So at most C kernel threads are busy whatever N and W are; W = spark.task.cpus (the
 * default) gives each task slot one forward at a time, and W = C runs one forward at a time on
 * every core (least memory: one pass's activations). Tokenizing and post-processing run on the
 * task threads outside the budget; they are a few percent of the time of an LSG forward pass.
 *
 * <p>The pools live as long as the JVM (an executor's lifetime); their threads are daemons. There
 * are at most {@code C / W} pools of each size W ever asked for.
 */
final class CoreBudget {
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\d+)?]");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\d+,\\s*(\\d+),\\s*\\d+]");
    private static volatile CoreBudget executor;

    private final int cores;
    private final Semaphore free;
    private final Map<Integer, Queue<Workers>> idle = new ConcurrentHashMap<>();

    CoreBudget(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("an executor needs at least one core, got " + cores);
        }
        this.cores = cores;
        this.free = new Semaphore(cores, true);
    }

    /** The budget of this JVM, made on first use with the executor's cores as {@code conf} gives them. */
    static CoreBudget forExecutor(SparkConf conf) {
        CoreBudget b = executor;
        if (b == null) {
            synchronized (CoreBudget.class) {
                b = executor;
                if (b == null) {
                    b = new CoreBudget(executorCores(conf.get("spark.master", ""),
                            conf.contains("spark.executor.cores") ? conf.getInt("spark.executor.cores", 1) : 0,
                            Runtime.getRuntime().availableProcessors()));
                    executor = b;
                }
            }
        }
        return b;
    }

    /**
     * The cores one executor has: {@code spark.executor.cores} when set (0 when not), else N for the
     * master {@code local[N]} (the driver is the executor), the cores of {@code local-cluster[n,c,m]},
     * else all the processors the JVM sees (standalone gives an executor all of its worker's cores
     * by default, and the JVM sees a container's CPU limit).
     */
    static int executorCores(String master, int executorCoresSetting, int processors) {
        if (executorCoresSetting > 0) {
            return executorCoresSetting;
        }
        Matcher m = LOCAL.matcher(master);
        if (m.matches()) {
            return m.group(1).equals("*") ? processors : Integer.parseInt(m.group(1));
        }
        if (master.equals("local")) {
            return 1;
        }
        m = LOCAL_CLUSTER.matcher(master);
        if (m.matches()) {
            return Integer.parseInt(m.group(1));
        }
        return processors;
    }

    int cores() {
        return cores;
    }

    /**
     * Waits for {@code threads} cores (at most all of them) and returns workers of that size; close
     * the lease to give them back.
     */
    Lease acquire(int threads) {
        int n = Math.max(1, Math.min(threads, cores));
        try {
            free.acquire(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + n + " kernel threads", e);
        }
        Workers w = idle.computeIfAbsent(n, k -> new ConcurrentLinkedQueue<>()).poll();
        return new Lease(n, w != null ? w : Workers.create(n));
    }

    /** Workers held by one forward pass. */
    final class Lease implements AutoCloseable {
        private final int threads;
        private final Workers workers;

        private Lease(int threads, Workers workers) {
            this.threads = threads;
            this.workers = workers;
        }

        Workers workers() {
            return workers;
        }

        @Override
        public void close() {
            idle.get(threads).offer(workers);
            free.release(threads);
        }
    }
}
