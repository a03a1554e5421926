package org.lsg4j.bench;

import org.lsg4j.kernels.Activations;
import org.lsg4j.kernels.Norm;
import org.lsg4j.kernels.Workers;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;


import java.util.concurrent.TimeUnit;
/**
 * LayerNorm with residual over 4097 x 768 and gelu over 1024 x 3072 (one slice of the
 * feed-forward intermediate), on {@code threads} workers. FLOPs counted as 8 per element for
 * the residual layernorm and 25 per element for gelu (its polynomials, exp and products);
 * these kernels are bound by memory and exp, so the rate is indicative.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBench {
    private static final int ROWS = 4097;
    private static final int D = 768;
    private static final int GELU = 1024 * 3072;

    @Param({"2"})
    public int threads;

    private Workers workers;
    private float[] x;
    private float[] residual;
    private float[] weight;
    private float[] bias;
    private float[] inter;

    @Setup(Level.Trial)
    public void setup() {
        workers = Workers.create(threads);
        x = Data.values(ROWS * D, 1);
        residual = Data.values(ROWS * D, 2);
        weight = Data.values(D, 3);
        bias = Data.values(D, 4);
        inter = Data.values(GELU, 5);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workers.close();
    }

    @Benchmark
    public float[] layerNorm(Rate rate) {
        Norm.addLayerNorm(workers, x, 0, residual, 0, ROWS, D, weight, bias, 1e-5);
        rate.gflop += 8e-9 * ROWS * D;
        return x;
    }

    @Benchmark
    public float[] gelu(Rate rate) {
        Activations.gelu(workers, inter, 0, GELU);
        rate.gflop += 25e-9 * GELU;
        return inter;
    }
}
