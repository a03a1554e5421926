package org.lsg4j.bench;

import org.lsg4j.kernels.Attention;

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
 * 2 x 128 sparse, 3 x 128 local) with head size 64, one block per call on one thread.
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
    private float[] scores;
    private float[] out;
    private int ldk;

    @Setup(Level.Trial)
    public void setup() {
        ldk = Attention.paddedKeys(KEYS);
        q = Data.values(QUERIES * D, 1);
        kt = Data.values(DH * ldk, 2);
        v = Data.values(ldk * DH + 32, 3);
        scores = new float[Attention.QT * ldk];
        out = new float[QUERIES * D];
    }

    @Benchmark
    public float[] block(Rate rate) {
        Attention.attend(q, 0, D, QUERIES, kt, v, KEYS, ldk, DH, scores, out, 0, D);
        rate.gflop += 2e-9 * 2 * QUERIES * KEYS * DH;
        return out;
    }
}
