package org.lsg4j.bench;

import org.lsg4j.kernels.Attention;
import org.lsg4j.kernels.Workers;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;


import java.util.concurrent.TimeUnit;
/**
 * The fused attention of one LSG block of the presets: 128 queries over 641 keys (1 global,
 * 2 x 128 sparse, 3 x 128 local) with head size 64, one block per call on one thread; forward
 * (2 products of 2 x 128 x 641 x 64 FLOP) and backward (5 such products: scores recomputed, dP,
 * dV, dK, dq). Each iteration is preceded by a one-thread {@link PeakProbe}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AttentionBench {
    private static final int QUERIES = 128;
    private static final int KEYS = 641;
    private static final int DH = 64;
    private static final int D = 768;

    private float[] q;
    private float[] kt;
    private float[] v;
    private float[] work;
    private float[] backwardWork;
    private float[] out;
    private float[] dq;
    private float[] dkt;
    private float[] dv;
    private int ldk;
    private Workers probe;

    @Setup(Level.Trial)
    public void setup() {
        ldk = Attention.paddedKeys(KEYS);
        q = Data.values(QUERIES * D, 1);
        kt = Data.values(DH * ldk, 2);
        v = Data.values(ldk * DH + 32, 3);
        work = new float[Attention.workspaceSize(KEYS, DH)];
        backwardWork = new float[Attention.backwardWorkspaceSize(KEYS, DH)];
        out = new float[QUERIES * D];
        dq = new float[QUERIES * D];
        dkt = new float[DH * ldk];
        dv = new float[ldk * DH];
        probe = Workers.create(1);
        PeakProbe.warm(probe);
    }

    @Setup(Level.Iteration)
    public void probe() {
        PeakProbe.print(probe);
    }

    @Benchmark
    public float[] block(Rate rate) {
        Attention.attend(q, 0, D, QUERIES, kt, v, KEYS, ldk, DH, work, out, 0, D);
        rate.gflop += 2e-9 * 2 * QUERIES * KEYS * DH;
        return out;
    }

    @Benchmark
    public float[] blockBackward(Rate rate) {
        Attention.attendBackward(q, 0, D, QUERIES, kt, v, KEYS, ldk, DH, out, 0, D, backwardWork, dq, 0, D, dkt, dv);
        rate.gflop += 2e-9 * 5 * QUERIES * KEYS * DH;
        return dq;
    }
}
