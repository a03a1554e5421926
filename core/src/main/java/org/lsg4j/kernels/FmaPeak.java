package org.lsg4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's float32 FMA peak as this JVM reaches it: every worker runs chains of independent
 * vector FMAs (enough of them to cover the FMA latency on two pipes) with no memory traffic.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> F = VectorMath.F;
    /**
     * Independent chains: ten cover the latency of two FMA pipes on AVX2 and leave registers for
     * the constants (twelve spill out of 16); with 32 registers (512-bit vectors) twenty do, and
     * reach about a tenth more than ten on a Xeon with AVX-512 (as much as the GEMM kernel itself).
     */
    private static final int CHAINS = F.vectorByteSize() >= 64 ? 20 : 10;

    private FmaPeak() {
    }

    /**
     * GFLOP/s of {@code steps} FMA steps per worker on all workers at once, best of {@code rounds},
     * after enough short runs for the JIT to compile the chains.
     */
    public static double measure(Workers workers, int steps, int rounds) {
        for (int i = 0; i < 20; i++) {
            run(workers, 1_000_000);
        }
        double best = 0;
        for (int round = 0; round < rounds; round++) {
            best = Math.max(best, flops(workers, steps) / run(workers, steps) * 1e-9);
        }
        return best;
    }

    /** Seconds taken by {@code steps} FMA steps on every worker at once. */
    public static double run(Workers workers, int steps) {
        float[] sink = new float[workers.count()];
        long t0 = System.nanoTime();
        workers.run(workers.count(), (task, worker) -> sink[task] = chains(steps));
        return (System.nanoTime() - t0) * 1e-9;
    }

    /** The floating-point operations of one round of {@code steps} steps on every worker. */
    public static double flops(Workers workers, int steps) {
        return 2.0 * CHAINS * F.length() * (double) steps * workers.count();
    }

    /** Runs the chains; returns their sum so that the JIT keeps them. */
    private static float chains(int steps) {
        return CHAINS == 20 ? chains20(steps) : chains10(steps);
    }

    private static float chains10(int steps) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector add = FloatVector.broadcast(F, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(F, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0;
        for (int s = 0; s < steps; s++) {
            c0 = c0.fma(m, add);
            c1 = c1.fma(m, add);
            c2 = c2.fma(m, add);
            c3 = c3.fma(m, add);
            c4 = c4.fma(m, add);
            c5 = c5.fma(m, add);
            c6 = c6.fma(m, add);
            c7 = c7.fma(m, add);
            c8 = c8.fma(m, add);
            c9 = c9.fma(m, add);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9)
                .reduceLanes(VectorOperators.ADD);
    }

    private static float chains20(int steps) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector add = FloatVector.broadcast(F, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(F, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0;
        FloatVector d0 = c0, d1 = c0, d2 = c0, d3 = c0, d4 = c0, d5 = c0, d6 = c0, d7 = c0, d8 = c0, d9 = c0;
        for (int s = 0; s < steps; s++) {
            c0 = c0.fma(m, add);
            c1 = c1.fma(m, add);
            c2 = c2.fma(m, add);
            c3 = c3.fma(m, add);
            c4 = c4.fma(m, add);
            c5 = c5.fma(m, add);
            c6 = c6.fma(m, add);
            c7 = c7.fma(m, add);
            c8 = c8.fma(m, add);
            c9 = c9.fma(m, add);
            d0 = d0.fma(m, add);
            d1 = d1.fma(m, add);
            d2 = d2.fma(m, add);
            d3 = d3.fma(m, add);
            d4 = d4.fma(m, add);
            d5 = d5.fma(m, add);
            d6 = d6.fma(m, add);
            d7 = d7.fma(m, add);
            d8 = d8.fma(m, add);
            d9 = d9.fma(m, add);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9)
                .add(d0.add(d1).add(d2).add(d3).add(d4).add(d5).add(d6).add(d7).add(d8).add(d9))
                .reduceLanes(VectorOperators.ADD);
    }
}
