package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.LsgException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The streaming loop of the task commands: reads inputs, groups them in batches, runs each batch,
 * writes and flushes its results, so that memory holds one batch whatever the input size.
 *
 * <p>A malformed line or an input the task rejects (an {@link LsgException}) stops the run with
 * exit code 2, or with {@code --on-error skip} is reported on stderr and, in its place in the
 * output, as {@code {"id": ..., "error": "..."}}. An input holding the {@code --id-field} gets
 * {@code {"id": ..., "result": ...}}; others get the pipeline's JSON as it is. When a batch
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
        List<Rejected> unreadable = new ArrayList<>();   // lines that could not be read, placed among the batch's
        while (true) {
            InputItem item;
            try {
                item = inputs.next();
            } catch (LsgException e) {
                if (options.onError() == RunOptions.OnError.stop) {
                    throw e;
                }
                unreadable.add(new Rejected(batch.size(), null, e));
                if (batch.isEmpty()) {
                    write(batch, unreadable, task);
                }
                continue;
            }
            if (item == null) {
                break;
            }
            batch.add(item);
            if (batch.size() == batchSize) {
                write(batch, unreadable, task);
            }
        }
        write(batch, unreadable, task);
        progress.finish();
        if (skipped > 0) {
            err.println("lsg: " + skipped + " input" + (skipped == 1 ? " was" : "s were") + " skipped");
            return Main.EXIT_BAD_INPUT;
        }
        return 0;
    }

    /** An input that failed: {@code item} is null for a line that could not be read, which came before input {@code at}. */
    private record Rejected(int at, InputItem item, LsgException error) {
    }

    /** Runs the batch and writes its lines, each failure in its place among them; empties both lists. */
    private void write(List<InputItem> batch, List<Rejected> unreadable, Function<List<InputItem>, List<?>> task) {
        List<Object> lines = new ArrayList<>(batch.size());
        if (!batch.isEmpty()) {
            run(batch, task, lines);
        }
        progress.clear();
        int u = 0;
        int done = 0;
        for (int i = 0; i <= lines.size(); i++) {
            while (u < unreadable.size() && unreadable.get(u).at() <= i) {
                reject(unreadable.get(u++));
            }
            if (i == lines.size()) {
                break;
            }
            if (lines.get(i) instanceof Rejected r) {
                reject(r);
            } else {
                output.write(lines.get(i));
                done++;
            }
        }
        output.flush();
        progress.advance(done, 0);
        batch.clear();
        unreadable.clear();
    }

    /** One output line per input of the batch, in order: its result, or a failure. */
    private void run(List<InputItem> batch, Function<List<InputItem>, List<?>> task, List<Object> lines) {
        List<?> results;
        try {
            results = task.apply(batch);
        } catch (LsgException e) {
            if (batch.size() == 1) {
                lines.add(new Rejected(0, batch.get(0), new LsgException(located(batch.get(0), e), e)));
                return;
            }
            // find which one failed: each alone
            for (InputItem item : batch) {
                run(List.of(item), task, lines);
            }
            return;
        }
        for (int i = 0; i < results.size(); i++) {
            JsonNode id = batch.get(i).json().get(options.idField());
            if (id == null) {
                lines.add(results.get(i));
            } else {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put(options.idField(), id);
                line.put("result", results.get(i));
                lines.add(line);
            }
        }
    }

    private static String located(InputItem item, LsgException e) {
        return e.getMessage().startsWith(item.where() + ":") ? e.getMessage() : item.where() + ": " + e.getMessage();
    }

    /** Reports a failure (stop: ends the run; skip: on stderr and, in its place, on the output). */
    private void reject(Rejected r) {
        if (options.onError() == RunOptions.OnError.stop) {
            throw r.error();
        }
        skipped++;
        err.println("lsg: skipped " + r.error().getMessage());
        err.flush();
        Map<String, Object> line = new LinkedHashMap<>();
        JsonNode id = r.item() == null ? null : r.item().json().get(options.idField());
        if (id != null) {
            line.put(options.idField(), id);
        }
        line.put("error", r.error().getMessage());
        output.write(line);
        progress.advance(0, 1);
        progress.clear();
    }
}
