package org.lsg4j.bench;

import org.lsg4j.kernels.FmaPeak;
import org.lsg4j.kernels.Workers;

/**
 * The FMA peak measured inside a benchmark's own fork, just before each iteration, and printed to
 * the run's log ({@code peak <GFLOP/s>}). On a machine shared with other work the load changes
 * between forks, so a kernel's share of the peak is its iteration's rate over the peak printed
 * right before it, not over {@link FmaPeakBench} run minutes apart.
 */
final class PeakProbe {
    /** About a fifth of a second per worker on a quiet Xeon: long enough to see the same load as the iteration. */
    private static final int STEPS = 50_000_000;

    private PeakProbe() {
    }

    /** Compiles the probe's loop (call once per trial, before the first {@link #print}). */
    static void warm(Workers workers) {
        FmaPeak.measure(workers, STEPS / 50, 1);
    }

    static void print(Workers workers) {
        System.out.printf("peak %.1f%n", FmaPeak.flops(workers, STEPS) / FmaPeak.run(workers, STEPS) * 1e-9);
    }
}
