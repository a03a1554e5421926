package org.lsg4j.bench;

import org.lsg4j.kernels.FmaPeak;
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
/** The float32 FMA peak on {@code threads} workers: the {@code gflop} counter is GFLOP/s, the kernels' 100%. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBench {
    private static final int STEPS = 2_000_000;

    @Param({"1", "2"})
    public int threads;

    private Workers workers;

    @Setup(Level.Trial)
    public void setup() {
        workers = Workers.create(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workers.close();
    }

    @Benchmark
    public double peak(Rate rate) {
        rate.gflop += FmaPeak.flops(workers, STEPS) * 1e-9;
        return FmaPeak.run(workers, STEPS);
    }
}
