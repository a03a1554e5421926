package org.lsg4j.cli;

import org.lsg4j.LsgException;
import picocli.CommandLine.Option;

/**
 * How a command runs its inputs: {@code --batch-size}, {@code --threads}, {@code --on-error} and {@code --id-field}.
 * Mix into a command with {@code @Mixin RunOptions run;}.
 */
public final class RunOptions {
    /** What to do with an input that cannot be processed. */
    public enum OnError {
        /** Report it and stop with exit code 2. */
        stop,
        /**
         * Report it on stderr and, in its place in the output, as {@code {"error": ...}} (with its id), so that
         * output lines still match input lines; go on; exit code 2 at the end.
         */
        skip
    }

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1",
            description = "Inputs run together, padded to the longest (the pipelines' batch_size; default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the model's matrix work (default: all processors).")
    private Integer threads;

    @Option(names = "--on-error", paramLabel = "stop|skip", defaultValue = "stop",
            description = "On a malformed line or an input that fails: stop (default) or skip it and go on.")
    private OnError onError;

    @Option(names = "--id-field", paramLabel = "NAME", defaultValue = "id",
            description = "An input line with this field gets its value echoed in its output line: {\"NAME\": ..., "
            + "\"result\": ...} (default: ${DEFAULT-VALUE}).")
    private String idField;

    /** The field of an input whose value its output line repeats. */
    public String idField() {
        return idField;
    }

    public int batchSize() {
        if (batchSize < 1) {
            throw new LsgException("--batch-size must be at least 1, got " + batchSize);
        }
        return batchSize;
    }

    public int threads() {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new LsgException("--threads must be at least 1, got " + n);
        }
        return n;
    }

    public OnError onError() {
        return onError;
    }
}
