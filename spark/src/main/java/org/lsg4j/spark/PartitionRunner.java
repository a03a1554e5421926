package org.lsg4j.spark;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.lsg4j.LsgException;
import org.lsg4j.kernels.Workers;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one partition: the rows come in, each leaves with its input columns, the task's output and
 * an error message (one of the two is null), in the order they came.
 *
 * <p>Rows are read {@value #WINDOW_BATCHES} batches' worth at a time (bounded memory, whatever the
 * partition's size). Within that window the documents are sorted by token count and cut into
 * batches of similar lengths, at most {@code batchSize} documents and {@code maxBatchTokens}
 * padded tokens each, so that little of a forward pass is padding. Each batch takes its kernel
 * threads from the executor's {@link CoreBudget} for the length of its forward pass.
 *
 * <p>A document that fails never fails the task: a null text, a document over the length without
 * truncation, or one its pipeline refuses (a fill-mask text without a mask, an empty question)
 * gets a null output and the reason in the error column. When a batch fails, its documents are
 * run again one by one, so that only the failing ones are marked. What fails the task is what
 * concerns every document: the model cannot be found or loaded, or has the wrong head. Spark then
 * retries the task elsewhere; a partition is always recomputed whole, so a lost executor loses
 * nothing.
 *
 * <p>With batchSize 1 every document runs alone, exactly as the single-machine pipeline runs it
 * with its default batch size 1, and the outputs are identical. In a batch, a shorter document is
 * padded to the longest, which changes the LSG block layout it goes through and its numbers by
 * float32 rounding (about 1e-6 relative), as the Hugging Face pipelines do with batch_size.
 */
final class PartitionRunner implements MapPartitionsFunction<Row, Row> {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionRunner.class);
    /** Batches read (and sorted by length) together. */
    static final int WINDOW_BATCHES = 32;

    private final InferenceSpec spec;
    private final int textColumn;
    private final int pairColumn;
    private final String textName;
    private final String pairName;

    /**
     * @param textColumn the index of the text (qa: context) column in the input rows
     * @param pairColumn the index of the pair (qa: question) column, or -1
     */
    PartitionRunner(InferenceSpec spec, int textColumn, String textName, int pairColumn, String pairName) {
        this.spec = spec;
        this.textColumn = textColumn;
        this.pairColumn = pairColumn;
        this.textName = textName;
        this.pairName = pairName;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private Partition partition;
            private Iterator<Row> done = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                while (!done.hasNext() && rows.hasNext()) {
                    List<Row> window = new ArrayList<>();
                    while (rows.hasNext() && window.size() < spec.batchSize() * WINDOW_BATCHES) {
                        window.add(rows.next());
                    }
                    if (partition == null) {
                        partition = new Partition();   // the model is loaded when a partition has rows
                    }
                    done = partition.process(window).iterator();
                }
                return done.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return done.next();
            }
        };
    }

    /** The state of one task: its model, its threads, and the pipelines it made. */
    private final class Partition {
        private final TaskModel model = ExecutorModels.get(spec.modelKey());
        private final CoreBudget budget = CoreBudget.forExecutor(SparkEnv.get().conf());
        private final int threads = spec.threadsPerForward() > 0 ? spec.threadsPerForward() : TaskContext.get().cpus();
        private final Map<Workers, SparkTask.Run> runs = new HashMap<>();
        private final AtomicInteger warnings = new AtomicInteger();

        Partition() {
            TaskContext context = TaskContext.get();
            context.addTaskCompletionListener(c -> {
                if (warnings.get() > 1) {
                    LOG.warn("lsg4j: {} warnings in partition {} (the first was logged)", warnings.get(), c.partitionId());
                }
            });
        }

        List<Row> process(List<Row> window) {
            int n = window.size();
            SparkTask.Document[] docs = new SparkTask.Document[n];
            int[] tokens = new int[n];
            Object[] outputs = new Object[n];
            String[] errors = new String[n];
            List<Integer> runnable = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                try {
                    docs[i] = document(window.get(i));
                    tokens[i] = tokens(docs[i]);
                    runnable.add(i);
                } catch (RuntimeException e) {
                    errors[i] = message(e);
                }
            }
            runnable.sort(Comparator.comparingInt(i -> tokens[i]));
            for (List<Integer> batch : batches(runnable, tokens)) {
                run(batch, docs, outputs, errors);
            }
            List<Row> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Row row = window.get(i);
                Object[] values = new Object[row.length() + 2];
                for (int c = 0; c < row.length(); c++) {
                    values[c] = row.get(c);
                }
                values[row.length()] = outputs[i];
                values[row.length() + 1] = errors[i];
                out.add(RowFactory.create(values));
            }
            return out;
        }

        private SparkTask.Document document(Row row) {
            String text = row.isNullAt(textColumn) ? null : row.getString(textColumn);
            String pair = pairColumn < 0 || row.isNullAt(pairColumn) ? null : row.getString(pairColumn);
            if (text == null) {
                throw new LsgException("the column " + textName + " is null");
            }
            if (spec.task() == SparkTask.QA) {
                if (pair == null) {
                    throw new LsgException("the column " + pairName + " (the question) is null");
                }
                return new SparkTask.Document(pair, text);
            }
            return new SparkTask.Document(text, pair);
        }

        /**
         * The tokens a document takes in its forward pass (special tokens included), to sort and
         * batch by; fails for a document over the length when truncation is off.
         */
        private int tokens(SparkTask.Document doc) {
            Tokenizer tokenizer = model.tokenizer();
            int full = doc.pair() == null ? tokenizer.encode(doc.text()).length()
                    : tokenizer.encodePair(doc.text(), doc.pair(), true).length();
            if (spec.task().windowed()) {
                return full;
            }
            int limit = spec.maxLength() > 0 ? Math.min(spec.maxLength(), model.maxTokens()) : model.maxTokens();
            if (full > limit && !spec.truncation()) {
                throw new LsgException("the document has " + full + " tokens, more than the " + limit
                        + (limit == model.maxTokens() ? " the model takes" : " of maxLength") + ", and truncation is off");
            }
            return Math.min(full, limit);
        }

        /** Consecutive documents (sorted by length) in batches within batchSize and maxBatchTokens. */
        private List<List<Integer>> batches(List<Integer> sorted, int[] tokens) {
            List<List<Integer>> out = new ArrayList<>();
            List<Integer> batch = new ArrayList<>();
            int longest = 0;
            for (int i : sorted) {
                int longer = Math.max(longest, tokens[i]);
                if (!batch.isEmpty() && (batch.size() == spec.batchSize()
                        || (long) (batch.size() + 1) * longer > spec.maxBatchTokens())) {
                    out.add(batch);
                    batch = new ArrayList<>();
                    longer = tokens[i];
                }
                batch.add(i);
                longest = longer;
            }
            if (!batch.isEmpty()) {
                out.add(batch);
            }
            return out;
        }

        private void run(List<Integer> batch, SparkTask.Document[] docs, Object[] outputs, String[] errors) {
            try (CoreBudget.Lease lease = budget.acquire(threads)) {
                SparkTask.Run run = runs.computeIfAbsent(lease.workers(),
                        w -> spec.task().start(model.withWorkers(w), spec, this::warn));
                try {
                    List<Object> results = run.run(batch.stream().map(i -> docs[i]).toList());
                    for (int k = 0; k < batch.size(); k++) {
                        outputs[batch.get(k)] = results.get(k);
                    }
                } catch (RuntimeException e) {
                    if (batch.size() == 1) {
                        errors[batch.get(0)] = message(e);
                        return;
                    }
                    for (int i : batch) {   // find the documents that fail
                        try {
                            outputs[i] = run.run(List.of(docs[i])).get(0);
                        } catch (RuntimeException single) {
                            errors[i] = message(single);
                        }
                    }
                }
            }
        }

        private void warn(String warning) {
            if (warnings.getAndIncrement() == 0) {
                LOG.warn("lsg4j: {}", warning);
            }
        }
    }

    /** The error column's text: lsg4j's own one-line message, or the exception for anything else. */
    private static String message(RuntimeException e) {
        return e instanceof LsgException || e instanceof IllegalArgumentException ? e.getMessage() : e.toString();
    }
}
