package org.lsg4j.bench;

import org.lsg4j.kernels.Gemm;
import org.lsg4j.kernels.PackedWeights;
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
 * The linear layers' GEMM on the model's shapes (rows x in x out for 4096 tokens + 1 global):
 * q/k/v/output projections, intermediate, output dense; forward ({@code linear}), input gradient
 * ({@code inputGradient}: dX += dY W through the transposed packing) and weight gradient
 * ({@code weightGradient}: dW += dY^T X, the rows being the sum). The {@code gflop} counter is
 * GFLOP/s; each iteration is preceded by a {@link PeakProbe} on the same workers. The micro-tile
 * is the JVM's ({@code -jvmArgsAppend "--add-modules jdk.incubator.vector -Dlsg4j.gemm.tile=8x3"}
 * forces one).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {
    @Param({"4097x768x768", "4097x768x3072", "4097x3072x768"})
    public String shape;

    @Param({"2"})
    public int threads;

    private Workers workers;
    private PackedWeights weights;
    private PackedWeights transposed;
    private float[] x;
    private float[] y;
    private float[] dw;
    private int rows;

    @Setup(Level.Trial)
    public void setup() {
        String[] s = shape.split("x");
        rows = Integer.parseInt(s[0]);
        int in = Integer.parseInt(s[1]);
        int out = Integer.parseInt(s[2]);
        workers = Workers.create(threads);
        float[] w = Data.values(out * in, 1);
        weights = PackedWeights.pack(w, Data.values(out, 2), in, out);
        transposed = PackedWeights.transposed(w, in, out);
        x = Data.values(rows * in, 3);
        y = Data.values(rows * out, 4);
        dw = new float[out * in];
        PeakProbe.warm(workers);
    }

    @Setup(Level.Iteration)
    public void probe() {
        PeakProbe.print(workers);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workers.close();
    }

    @Benchmark
    public float[] linear(Rate rate) {
        Gemm.linear(workers, weights, x, 0, rows, y, 0);
        rate.gflop += 2e-9 * rows * weights.in() * weights.out();
        return y;
    }

    /** dX (rows x in, here x) += dY (rows x out, here y) W. */
    @Benchmark
    public float[] inputGradient(Rate rate) {
        Gemm.linearAdd(workers, transposed, y, 0, rows, x, 0);
        rate.gflop += 2e-9 * rows * weights.in() * weights.out();
        return x;
    }

    /** dW (out x in) += dY^T X. */
    @Benchmark
    public float[] weightGradient(Rate rate) {
        Gemm.weightGradient(workers, y, 0, x, 0, rows, weights.out(), weights.in(), dw, 0);
        rate.gflop += 2e-9 * rows * weights.in() * weights.out();
        return dw;
    }
}
