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
 * feed-forward intermediate), forward and backward, on {@code threads} workers. The {@code gbyte}
 * counter is GB/s of the arrays each call must read and write (the bound for these kernels; the
 * residual layernorm reads x and the residual and writes x, its backward reads dy, the input and
 * writes dx, gelu reads and writes its values, its backward reads x and dy and writes dx).
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
    private float[] interOut;
    private float[] dInter;
    private float[] dy;
    private float[] dx;
    private float[] mean;
    private float[] rstd;
    private float[] dweight;
    private float[] dbias;

    @Setup(Level.Trial)
    public void setup() {
        workers = Workers.create(threads);
        x = Data.values(ROWS * D, 1);
        residual = Data.values(ROWS * D, 2);
        weight = Data.values(D, 3);
        bias = Data.values(D, 4);
        inter = Data.values(GELU, 5);
        interOut = new float[GELU];
        dInter = Data.values(GELU, 6);
        dy = Data.values(ROWS * D, 7);
        dx = new float[ROWS * D];
        mean = new float[ROWS];
        rstd = new float[ROWS];
        dweight = new float[D];
        dbias = new float[D];
        Norm.addLayerNorm(workers, x, 0, null, 0, ROWS, D, weight, bias, 1e-5, residual, 0, mean, rstd, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workers.close();
    }

    @Benchmark
    public float[] layerNorm(Traffic traffic) {
        Norm.addLayerNorm(workers, x, 0, residual, 0, ROWS, D, weight, bias, 1e-5);
        traffic.gbyte += 3 * 4e-9 * ROWS * D;
        return x;
    }

    /** dx from dy, the norm's input (here x) and its statistics. */
    @Benchmark
    public float[] layerNormBackward(Traffic traffic) {
        Norm.layerNormBackward(workers, dy, 0, x, 0, mean, rstd, 0, ROWS, D, weight, dx, 0, dweight, dbias);
        traffic.gbyte += 3 * 4e-9 * ROWS * D;
        return dx;
    }

    /**
     * gelu of the same values into another array: applied in place, call after call, it would drive
     * the negative values into subnormals, which x86 computes tens of times slower.
     */
    @Benchmark
    public float[] gelu(Traffic traffic) {
        Activations.gelu(workers, inter, 0, interOut, 0, GELU);
        traffic.gbyte += 2 * 4e-9 * GELU;
        return interOut;
    }

    /** dx (into interOut) from x (inter) and dy (dInter). */
    @Benchmark
    public float[] geluBackward(Traffic traffic) {
        Activations.geluBackward(workers, inter, 0, dInter, 0, interOut, 0, GELU);
        traffic.gbyte += 3 * 4e-9 * GELU;
        return interOut;
    }

    /** A plain copy of the layernorm's x into the residual: the memory speed these kernels compare with. */
    @Benchmark
    public float[] copy(Traffic traffic) {
        int chunk = 64 * 1024;
        int n = ROWS * D;
        workers.run((n + chunk - 1) / chunk, (task, worker) ->
                System.arraycopy(x, task * chunk, residual, task * chunk, Math.min(chunk, n - task * chunk)));
        traffic.gbyte += 2 * 4e-9 * n;
        return residual;
    }
}
