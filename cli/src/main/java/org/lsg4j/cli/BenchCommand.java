package org.lsg4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.kernels.FmaPeak;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.Flops;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.LsgModel;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.TrainableModel;
import org.lsg4j.train.AdamW;
import org.lsg4j.train.LinearSchedule;
import org.lsg4j.train.Optimizer;
import org.lsg4j.tensor.LongTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code lsg bench}: times the encoder (base model) on random token ids, per length: median and
 * best time per document, tokens/s, GFLOP/s (from {@link Flops}), the fraction of the FMA peak
 * measured in the same run on the same workers, and the process's peak RSS. With {@code --stream},
 * a stream of documents of mixed lengths run one by one, batched by length, and one per worker.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Benchmark the forward pass on random weights (a preset) or a checkpoint (--model).",
        footer = {"", "Examples:",
                "  LSG_JAVA_OPTS=-Xmx1g lsg bench --preset distilroberta-base-4096 \\", "      --tokens 4096,16384 --threads 2",
                "  lsg bench --preset roberta-base-4096 --tokens 4096 --repeat 5 --json",
                "  # mixed-length documents, one per worker", "  lsg bench --model DIR --tokens 4096 --stream 6"})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--preset", description = "distilroberta-base-4096 (6 layers) or roberta-base-4096 (12 layers)",
            defaultValue = "distilroberta-base-4096")
    private String preset;

    @Option(names = "--model", description = "a checkpoint folder instead of a preset: its encoder (with --train, its weights and a new 2-label head)")
    private Path model;

    @Option(names = "--tokens", split = ",", description = "document lengths, comma-separated", defaultValue = "4096")
    private int[] tokens;

    @Option(names = {"--batch-size", "--batch"}, description = "documents per forward call (--batch: the old name)", defaultValue = "1")
    private int batch;

    @Option(names = "--threads", description = "workers for the kernels (default: all cores)")
    private Integer threads;

    @Option(names = "--repeat", description = "timed runs per length", defaultValue = "5")
    private int repeat;

    @Option(names = "--warmup", description = "untimed runs per length first", defaultValue = "2")
    private int warmup;

    @Option(names = "--seed", description = "seed of the weights and token ids", defaultValue = "1")
    private long seed;

    @Option(names = "--stream", description = "also run a stream of N mixed-length documents: one by one, batched by length (padding at most "
            + "1/8 of a batch), and one per worker",
            defaultValue = "0")
    private int stream;

    @Option(names = "--json", description = "one JSON object per line")
    private boolean json;

    @Option(names = "--train", paramLabel = "all|global",
            description = "Time training steps instead (forward, backward, AdamW) with a sequence-classification head (2 "
            + "labels, no dropout): all = every parameter trainable, global = the model card's recipe "
            + "(global_embeddings and the classifier), as the reference's ref_train_bench.py does.")
    private String train;

    @Option(names = "--recompute", description = "With --train: recompute each layer's activations in the backward pass.")
    private boolean recompute;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || batch < 1 || repeat < 1 || warmup < 0 || stream < 0 || tokens.length == 0) {
            throw new LsgException("--threads, --batch and --repeat must be at least 1, --warmup and --stream at least 0");
        }
        int longest = Arrays.stream(tokens).max().getAsInt();
        if (train != null) {
            return train(out, n, longest);
        }
        LsgModel m = model != null ? LsgModel.load(model, Head.BASE)
                : LsgModel.random(presetConfig(preset, longest), Head.BASE, seed);
        LsgConfig c = m.config();
        try (Workers workers = Workers.create(n)) {
            double peak = FmaPeak.measure(workers, 20_000_000, 5);
            if (!json) {
                out.printf(Locale.ROOT, "%s, %d threads, batch %d: FMA peak %.1f GFLOP/s%n",
                        model != null ? model : preset, n, batch, peak);
            }
            for (int t : tokens) {
                ModelInputs in = inputs(c, batch, t, new SplittableRandom(seed + t));
                for (int i = 0; i < warmup; i++) {
                    m.forward(in, workers);
                }
                double[] ms = new double[repeat];
                for (int i = 0; i < repeat; i++) {
                    long t0 = System.nanoTime();
                    m.forward(in, workers);
                    ms[i] = (System.nanoTime() - t0) / 1e6 / batch;
                }
                Arrays.sort(ms);
                double median = repeat % 2 == 1 ? ms[repeat / 2] : (ms[repeat / 2 - 1] + ms[repeat / 2]) / 2;
                double gflops = Flops.encoder(c, t) / (median * 1e-3) * 1e-9;
                report(out, t, n, median, ms[0], gflops, peak);
            }
        }
        if (stream > 0) {
            stream(out, m, c, n, longest);
        }
        return 0;
    }

    /** Training steps on a 4096-token-style document: the time of one step (forward, backward, AdamW) and memory. */
    private int train(PrintWriter out, int n, int longest) {
        if (!train.equals("all") && !train.equals("global")) {
            throw new LsgException("--train must be all or global, got " + train);
        }
        TrainableModel m;
        if (model != null) {
            // the checkpoint's own weights and shape, with a new 2-label head and no dropout
            Map<String, String> noDropout = Map.of("hidden_dropout_prob", "0.0", "attention_probs_dropout_prob", "0.0",
                    "num_labels", "2");
            m = TrainableModel.forTraining(model, Head.SEQUENCE_CLASSIFICATION, noDropout, train, seed);
        } else {
            ObjectNode json0 = presetJson(preset, longest);
            json0.put("type_vocab_size", 1);
            json0.put("hidden_dropout_prob", 0.0);
            json0.put("attention_probs_dropout_prob", 0.0);
            json0.putArray("architectures").add("LSGRobertaForSequenceClassification");
            LsgConfig c0 = LsgConfig.fromJson(json0, "preset " + preset);
            m = TrainableModel.random(c0, Head.SEQUENCE_CLASSIFICATION, seed,
                    TrainableModel.trainable(train, c0.family().heads().get(Head.SEQUENCE_CLASSIFICATION)));
        }
        LsgConfig c = m.model().config();
        Optimizer optimizer = new Optimizer(m, AdamW.Settings.defaults(), new LinearSchedule(1e-5, 0, Integer.MAX_VALUE), 0);
        TrainableModel.Mode mode = new TrainableModel.Mode(false, 0, recompute);
        try (Workers workers = Workers.create(n)) {
            for (int t : tokens) {
                ModelInputs in = inputs(c, batch, t, new SplittableRandom(seed + t))
                        .withLabels(new LongTensor(new int[]{batch}, new long[batch]));
                for (int i = 0; i < warmup; i++) {
                    optimizer.step(List.of(in), workers, mode);
                }
                double[] ms = new double[repeat];
                for (int i = 0; i < repeat; i++) {
                    long t0 = System.nanoTime();
                    optimizer.step(List.of(in), workers, mode);
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                double median = repeat % 2 == 1 ? ms[repeat / 2] : (ms[repeat / 2 - 1] + ms[repeat / 2]) / 2;
                double tape = m.lastTapeBytes() / 1e6;
                double perToken = m.tapeBytesPerTokenPerLayer() / 1e3;
                if (json) {
                    out.printf(Locale.ROOT, "{\"impl\":\"lsg4j-train-step\",\"trainable\":\"%s\",\"tokens\":%d,"
                                    + "\"threads\":%d,\"recompute\":%b,\"median_ms\":%.1f,\"best_ms\":%.1f,"
                                    + "\"tape_mb\":%.0f,\"tape_kb_per_token_per_layer\":%.1f,\"peak_rss_mb\":%.0f}%n",
                            train, t, n, recompute, median, ms[0], tape, perToken, peakRssMb());
                } else {
                    out.printf(Locale.ROOT, "train step (%s trainable%s), tokens %6d: median %8.1f ms, best %8.1f ms,"
                                    + " activations kept %.0f MB (%.1f KB per token per layer), peak RSS %.0f MB%n",
                            train, recompute ? ", recompute" : "", t, median, ms[0], tape, perToken, peakRssMb());
                }
            }
        }
        return 0;
    }

    private void report(PrintWriter out, int t, int n, double median, double best, double gflops, double peak) {
        double rss = peakRssMb();
        if (json) {
            out.printf(Locale.ROOT, "{\"tokens\":%d,\"batch\":%d,\"threads\":%d,\"median_ms\":%.1f,\"best_ms\":%.1f,"
                            + "\"tokens_per_s\":%.1f,\"gflops\":%.1f,\"peak_gflops\":%.1f,\"peak_fraction\":%.3f,"
                            + "\"peak_rss_mb\":%.0f}%n",
                    t, batch, n, median, best, t / (median * 1e-3), gflops, peak, gflops / peak, rss);
        } else {
            out.printf(Locale.ROOT, "tokens %6d: median %8.1f ms, best %8.1f ms per document, %8.0f tokens/s,"
                            + " %6.1f GFLOP/s = %4.1f%% of peak, peak RSS %.0f MB%n",
                    t, median, best, t / (median * 1e-3), gflops, 100 * gflops / peak, rss);
        }
    }

    /**
     * A stream of documents of random lengths up to the longest asked, run three ways in the same
     * process, one after the other: one by one (each document alone on all workers), batched by
     * length (documents sorted by length and grouped so that padding stays bounded, each batch on
     * all workers), and one document per worker (each on one thread, all workers at once).
     */
    private void stream(PrintWriter out, LsgModel m, LsgConfig c, int n, int longest) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int[] lengths = new int[stream];
        for (int i = 0; i < stream; i++) {
            lengths[i] = 2 * c.blockSize() + 1 + random.nextInt(Math.max(1, longest - 2 * c.blockSize()));
        }
        List<ModelInputs> docs = new ArrayList<>();
        long totalTokens = 0;
        double flops = 0;
        for (int t : lengths) {
            docs.add(inputs(c, 1, t, random.split()));
            totalTokens += t;
            flops += Flops.encoder(c, t);
        }
        List<ModelInputs> batches = new ArrayList<>();
        long padded = 0;
        for (int[] group : lengthBatches(lengths, c.blockSize(), Math.max(longest, STREAM_BATCH_TOKENS))) {
            int width = lengths[group[0]];
            long[] ids = new long[group.length * width];
            long[] mask = new long[group.length * width];
            for (int r = 0; r < group.length; r++) {
                long[] doc = docs.get(group[r]).inputIds().data();
                System.arraycopy(doc, 0, ids, r * width, doc.length);
                Arrays.fill(ids, r * width + doc.length, (r + 1) * width, c.padTokenId());
                Arrays.fill(mask, r * width, r * width + doc.length, 1L);
            }
            padded += (long) group.length * width;
            int[] shape = {group.length, width};
            batches.add(ModelInputs.of(new LongTensor(shape, ids)).withAttentionMask(new LongTensor(shape, mask)));
        }
        try (Workers all = Workers.create(n); Workers serial = Workers.create(1)) {
            m.forward(docs.getFirst(), all);   // compiled before the first timing
            double oneByOne = seconds(() -> {
                for (ModelInputs d : docs) {
                    m.forward(d, all);
                }
            });
            double batched = seconds(() -> {
                for (ModelInputs b : batches) {
                    m.forward(b, all);
                }
            });
            double perWorker = seconds(() -> concurrently(n, docs, d -> m.forward(d, serial)));
            String[] names = {"one-by-one", "batched-by-length", "one-per-worker"};
            double[] secs = {oneByOne, batched, perWorker};
            for (int k = 0; k < names.length; k++) {
                double s = secs[k];
                int calls = k == 1 ? batches.size() : stream;
                long rows = k == 1 ? padded : totalTokens;
                if (json) {
                    out.printf(Locale.ROOT, "{\"stream\":%d,\"mode\":\"%s\",\"threads\":%d,\"tokens\":%d,"
                                    + "\"forward_calls\":%d,\"padding\":%.3f,\"seconds\":%.2f,\"docs_per_s\":%.3f,"
                                    + "\"tokens_per_s\":%.1f,\"gflops\":%.1f,\"vs_one_by_one\":%.3f,\"peak_rss_mb\":%.0f}%n",
                            stream, names[k], n, totalTokens, calls, (double) (rows - totalTokens) / rows, s,
                            stream / s, totalTokens / s, flops / s * 1e-9, oneByOne / s, peakRssMb());
                } else {
                    out.printf(Locale.ROOT, "stream of %d documents (%d tokens, mixed lengths), %-17s on %d workers:"
                                    + " %d forward calls, padding %4.1f%%, %.2f s, %.3f documents/s, %.0f tokens/s,"
                                    + " %.1f GFLOP/s, %.2fx one by one, peak RSS %.0f MB%n",
                            stream, totalTokens, names[k], n, calls, 100.0 * (rows - totalTokens) / rows, s,
                            stream / s, totalTokens / s, flops / s * 1e-9, oneByOne / s, peakRssMb());
                }
            }
        }
    }

    /** Tokens a batch of the stream may hold (padding included), when the longest document is shorter. */
    private static final int STREAM_BATCH_TOKENS = 8192;
    /** The padding a document may take in its batch: at most an eighth of the batch's width. */
    private static final int PAD_FRACTION = 8;

    /**
     * Groups documents by length: sorted longest first, each batch takes the next documents while
     * every one of them is at least 7/8 of the batch's (its first document's) length, and the batch
     * stays within {@code budget} tokens. Each group lists document indices, longest first.
     */
    static List<int[]> lengthBatches(int[] lengths, int blockSize, int budget) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(lengths[b], lengths[a]));
        List<int[]> groups = new ArrayList<>();
        for (int i = 0; i < order.length; ) {
            int width = lengths[order[i]];
            int j = i + 1;
            while (j < order.length && (long) (j - i + 1) * width <= budget
                    && (long) (width - lengths[order[j]]) * PAD_FRACTION <= width) {
                j++;
            }
            int[] group = new int[j - i];
            for (int k = 0; k < group.length; k++) {
                group[k] = order[i + k];
            }
            groups.add(group);
            i = j;
        }
        return groups;
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double seconds(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) * 1e-9;
    }

    /** Runs every document on n threads at once, each thread taking the next document. */
    private static void concurrently(int n, List<ModelInputs> docs, java.util.function.Consumer<ModelInputs> body)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < docs.size(); i = next.getAndIncrement()) {
                        body.accept(docs.get(i));
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Random ids in [3, vocab) between {@code <s>} (0) and {@code </s>} (2), no padding. */
    private static ModelInputs inputs(LsgConfig c, int batch, int t, SplittableRandom random) {
        long[] ids = new long[batch * t];
        for (int r = 0; r < batch; r++) {
            for (int i = 0; i < t; i++) {
                ids[r * t + i] = i == 0 ? 0 : i == t - 1 ? 2 : 3 + random.nextInt(c.vocabSize() - 3);
            }
        }
        return ModelInputs.of(new LongTensor(new int[]{batch, t}, ids));
    }

    /**
     * The presets' configs (LSG conversions of distilroberta-base / roberta-base at 4096 tokens);
     * the position table grows to 16386 rows when longer documents are asked.
     */
    static LsgConfig presetConfig(String preset, int longest) {
        return LsgConfig.fromJson(presetJson(preset, longest), "preset " + preset);
    }

    private static ObjectNode presetJson(String preset, int longest) {
        int layers = switch (preset) {
            case "distilroberta-base-4096" -> 6;
            case "roberta-base-4096" -> 12;
            default -> throw new LsgException("unknown preset \"" + preset
                    + "\": expected distilroberta-base-4096 or roberta-base-4096");
        };
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("num_hidden_layers", layers);
        json.put("hidden_size", 768);
        json.put("num_attention_heads", 12);
        json.put("intermediate_size", 3072);
        json.put("vocab_size", 50265);
        json.put("max_position_embeddings", longest <= 4096 ? 4098 : Math.max(16386, longest + 2));
        json.put("block_size", 128);
        json.put("sparse_block_size", 128);
        json.put("sparsity_factor", 2);
        json.put("sparsity_type", "norm");
        json.put("num_global_tokens", 1);
        return json;
    }

    /** VmHWM of /proc/self/status in MB, or -1 where there is none. */
    private static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
