package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.TaskModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The frame of a task command: loads the model named by {@code --model} with the task's head,
 * reads the inputs as a stream, runs them in batches (the model's kernels on {@code --threads}
 * threads) and prints one JSON result per input. Warnings go to stderr as {@code lsg: warning: ...}.
 *
 * <p>A subclass says which head it needs, builds its pipeline once the model is loaded, and turns
 * a batch of inputs into results.
 */
public abstract class PipelineCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOption model;

    @Mixin
    private RunOptions run;

    /** The head the task needs. */
    protected abstract Head head();

    /** Opens the command's inputs. */
    protected abstract InputReader inputs() throws IOException;

    /**
     * Checks the options that need no model, before the model loads, so a bad value costs no load:
     * throws an {@link LsgException} naming the option (exit 2, one line).
     */
    protected void validate() {
    }

    /** Whether a warning of the model's load concerns this task (all do, unless a command says otherwise). */
    protected boolean concerns(String loadWarning) {
        return true;
    }

    /** Builds the pipeline; called once, before the first batch. */
    protected abstract void prepare(TaskModel model, Consumer<String> warnings);

    /**
     * Runs a batch (at most {@code --batch-size} inputs).
     *
     * @return one JSON-serialisable result per input, in order
     * @throws LsgException for an input the task cannot process
     */
    protected abstract List<?> process(List<InputItem> batch);

    @Override
    public final Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        InputProcessor processor = new InputProcessor(run, spec.commandLine().getOut(), err, CliContext.of(spec));
        Consumer<String> warnings = processor::warn;
        run.batchSize();
        validate();
        try (Workers workers = Workers.create(run.threads())) {
            TaskModel loaded = model.load(head()).withWorkers(workers);
            loaded.model().warnings().stream().filter(this::concerns).forEach(warnings);
            prepare(loaded, warnings);
            try (InputReader in = inputs()) {
                return processor.run(in, this::process);
            }
        }
    }

    /** The {@code --batch-size}: pipelines run each batch the command reads as one forward call. */
    protected int batchSize() {
        return run.batchSize();
    }

    /** {@code --max-length}, when given, leaves room for the special tokens of every tokenizer (at least 2). */
    static void requireMaxLength(Integer maxLength) {
        if (maxLength != null && maxLength < 2) {
            throw new LsgException("--max-length must be at least 2 (room for the special tokens), got " + maxLength);
        }
    }

    /** The command's spec, for subclasses that print or read options. */
    protected CommandSpec spec() {
        return spec;
    }
}
