package org.lsg4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH counter of the memory a memory-bound kernel must move, in GB: reported per second, so
 * {@code gbyte} reads as GB/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Traffic {
    public double gbyte;

    @Setup(Level.Iteration)
    public void reset() {
        gbyte = 0;
    }
}
