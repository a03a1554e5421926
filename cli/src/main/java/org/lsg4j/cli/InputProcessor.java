package org.lsg4j.cli;

import org.lsg4j.LsgException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The streaming loop of the task commands: reads inputs, groups them in batches, runs each batch,
 * writes and flushes its results, so that memory holds one batch whatever the input size.
 *
 * <p>A malformed line or an input the task rejects (an {@link LsgException}) stops the run with
 * exit code 2, or with {@code --on-error skip} is reported on stderr and left out. When a batch
 * fails, its inputs are run one by one to find which one failed.
 */
final class InputProcessor {
    private final RunOptions options;
    private final JsonOutput output;
    private final PrintWriter err;
    private final boolean terminal;
    private BatchProgress progress;
    private int skipped;

    InputProcessor(RunOptions options, PrintWriter out, PrintWriter err, CliContext context) {
        this.options = options;
        this.output = new JsonOutput(out);
        this.err = err;
        this.terminal = context.terminal();
    }

    /** Writes a warning on its own line (the progress line erased first). */
    void warn(String message) {
        if (progress != null) {
            progress.clear();
        }
        err.println("lsg: warning: " + message);
        err.flush();
    }

    /**
     * Runs every input.
     *
     * @param task gives one result per input of a batch, in order
     * @return the exit code: 0, or 2 when inputs were skipped
     */
    int run(InputReader inputs, Function<List<InputItem>, List<?>> task) {
        int batchSize = options.batchSize();
        progress = new BatchProgress(err, terminal, terminal ? inputs.total() : -1, System::nanoTime);
        List<InputItem> batch = new ArrayList<>(batchSize);
        while (true) {
            InputItem item;
            try {
                item = inputs.next();
            } catch (LsgException e) {
                reject(e);
                continue;
            }
            if (item == null) {
                break;
            }
            batch.add(item);
            if (batch.size() == batchSize) {
                runBatch(batch, task);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            runBatch(batch, task);
        }
        progress.finish();
        if (skipped > 0) {
            err.println("lsg: " + skipped + " input" + (skipped == 1 ? " was" : "s were") + " skipped");
            return Main.EXIT_BAD_INPUT;
        }
        return 0;
    }

    private void runBatch(List<InputItem> batch, Function<List<InputItem>, List<?>> task) {
        List<?> results;
        try {
            results = task.apply(batch);
        } catch (LsgException e) {
            if (batch.size() == 1) {
                reject(new LsgException(located(batch.get(0), e), e));
                return;
            }
            for (InputItem item : batch) {
                runBatch(List.of(item), task);
            }
            return;
        }
        progress.clear();
        results.forEach(output::write);
        output.flush();
        progress.advance(results.size(), 0);
    }

    private static String located(InputItem item, LsgException e) {
        return e.getMessage().startsWith(item.where() + ":") ? e.getMessage() : item.where() + ": " + e.getMessage();
    }

    private void reject(LsgException e) {
        if (options.onError() == RunOptions.OnError.stop) {
            throw e;
        }
        skipped++;
        progress.clear();
        err.println("lsg: skipped " + e.getMessage());
        err.flush();
        progress.advance(0, 1);
    }
}
