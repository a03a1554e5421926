package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.io.Checkpoint;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.LsgGeometry;
import org.lsg4j.pipelines.SentenceTransformersConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lsg info}: what a checkpoint is, how big, and how its attention looks at a given length. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Summarise a checkpoint and its attention pattern at given lengths. Architecture, sizes, LSG "
            + "settings, labels, parameter count, and per length the blocks, keys per query and sparse type.",
        footer = {"", "Examples:",
                "  lsg info",
                "  lsg info --model ccdv/lsg-distilroberta-base-4096",
                "  lsg info --model DIR --length 512 --length 4096"})
final class InfoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOption model;

    @Option(names = "--length", paramLabel = "TOKENS",
            description = "Input lengths to show the attention pattern for (default: 2 x block_size and the maximum).")
    private List<Integer> lengths;

    @Override
    public Integer call() {
        Path dir = model.resolve();
        LsgConfig c = model.config(dir);
        PrintWriter out = spec.commandLine().getOut();
        out.println("model:          " + dir);
        out.println("architecture:   " + c.architecture().className()
                + (c.architectures().isEmpty() ? " (none given)" : ""));
        out.printf(Locale.ROOT, "encoder:        %s, %d layers%s, hidden %d%s, %d heads, intermediate %d, vocab %d%n",
                c.family().modelType(), c.numHiddenLayers(), sharedLayers(c),
                c.hiddenSize(), c.embeddingSize() != c.hiddenSize() ? ", embedding " + c.embeddingSize() : "",
                c.numAttentionHeads(), c.intermediateSize(), c.vocabSize());
        out.printf(Locale.ROOT, "max tokens:     %d (max_position_embeddings %d)%n",
                c.maxTokens(), c.maxPositionEmbeddings());
        if (c.lsg()) {
            out.printf(Locale.ROOT, "lsg:            block_size %d, sparse_block_size %d, sparsity %s (factor %d), "
                            + "%d global token%s, pool_with_global %s, adaptive %s%n",
                    c.blockSize(), c.sparseBlockSize(), c.sparsityType().configName(), c.sparsityFactor(),
                    c.numGlobalTokens(), c.numGlobalTokens() == 1 ? "" : "s", c.poolWithGlobal(), c.adaptive());
        } else {
            out.println("lsg:            none: a plain checkpoint with full attention (make it LSG with lsg convert)");
        }
        if (c.architectures().stream().anyMatch(a -> a.contains("Classification"))) {
            out.println("labels:         " + String.join(", ", c.id2label())
                    + (c.problemType() == null ? "" : " (" + c.problemType() + ")"));
        }
        SentenceTransformersConfig.read(dir, c.hiddenSize()).ifPresent(st -> out.printf(Locale.ROOT,
                "embeddings:     %s pooling%s (sentence-transformers modules.json)%s%n",
                st.pooling().name().toLowerCase(Locale.ROOT), st.normalize() ? ", normalized" : "",
                st.maxSeqLength() == null ? "" : ", max_seq_length " + st.maxSeqLength()));
        out.printf(Locale.ROOT, "parameters:     %,d%n", parameterCount(dir));
        List<Integer> shown = lengths != null ? lengths
                : c.lsg() ? List.of(2 * c.blockSize(), c.maxTokens()) : List.of(c.maxTokens());
        for (int length : shown) {
            if (length < 1) {
                throw new LsgException("--length must be at least 1, got " + length);
            }
            LsgGeometry p = LsgGeometry.of(c, length);
            int g = c.numGlobalTokens();
            out.printf(Locale.ROOT, "%-15s %s%n", "attention @" + length + ":", p.longPath()
                    ? String.format(Locale.ROOT, "LSG, padded to %d, %d blocks of %d, %d keys per query "
                            + "(%d global + %d local + %d sparse %s)", p.paddedLength(), p.blocks(), c.blockSize(),
                            p.keysPerQuery(), g, 3 * c.blockSize(), p.sparseKeysPerQuery(),
                            c.sparsityType().configName())
                    : c.lsg() ? String.format(Locale.ROOT, "full (short path), %d keys per query (%d global + %d tokens)",
                            p.keysPerQuery(), g, p.paddedLength())
                    : String.format(Locale.ROOT, "full, %d keys per query", p.keysPerQuery()));
        }
        out.flush();
        return 0;
    }

    /** ", 1 shared layer" when the family applies fewer distinct layers than its depth (ALBERT). */
    private static String sharedLayers(LsgConfig c) {
        int distinct = c.family().layers().prefixes().apply(c).size();
        return distinct < c.numHiddenLayers()
                ? " (" + distinct + " shared layer" + (distinct == 1 ? "" : "s") + ")" : "";
    }

    /** The number of values in the checkpoint's tensors (tied weights are stored, and counted, once). */
    private static long parameterCount(Path dir) {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            long total = 0;
            for (String key : checkpoint.keys()) {
                if (key.endsWith("position_ids") || key.endsWith("token_type_ids")) {
                    continue;
                }
                long n = 1;
                for (int d : checkpoint.shape(key)) {
                    n *= d;
                }
                total += n;
            }
            return total;
        }
    }
}
