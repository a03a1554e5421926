package org.lsg4j.cli;

import org.lsg4j.convert.ConversionOptions;
import org.lsg4j.convert.LsgConverter;
import org.lsg4j.model.LsgConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lsg convert}: any supported checkpoint made LSG, as the reference converter makes it. */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Convert a BERT, RoBERTa, DistilBERT, XLM-RoBERTa, CamemBERT, ELECTRA or ALBERT checkpoint to "
            + "LSG attention, to read --max-length tokens: the position table is tiled, global tokens are made "
            + "from the position and word embeddings, the task head is kept, the tokenizer is copied. The "
            + "result loads in lsg4j and, with the reference's modeling file, in Python (trust_remote_code). "
            + "--config KEY=VALUE sets any other config key (mask_first_token, pool_with_global, ...).",
        footer = {"", "Examples:",
                "  lsg convert --model bert-base-uncased --output lsg-bert-4096 --max-length \\", "      4096",
                "  lsg convert --model DIR --output OUT --max-length 8192 --block-size 64 \\", "      --sparsity-type bos_pooling \\",
                "      --num-global-tokens 16"})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOption model;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "The new model folder (must not exist, or be empty); written only when the conversion succeeds.")
    private Path output;

    @Option(names = "--max-length", paramLabel = "TOKENS", defaultValue = "4096",
            description = "Tokens the converted model reads (default: ${DEFAULT-VALUE}); a multiple of the block size.")
    private int maxLength;

    @Option(names = "--block-size", paramLabel = "N", description = "LSG block_size (default: the source's, else 128).")
    private Integer blockSize;

    @Option(names = "--sparse-block-size", paramLabel = "N", description = "LSG sparse_block_size (default: 128).")
    private Integer sparseBlockSize;

    @Option(names = "--sparsity-factor", paramLabel = "N", description = "LSG sparsity_factor (default: 2).")
    private Integer sparsityFactor;

    @Option(names = "--sparsity-type", paramLabel = "TYPE",
            description = "none, norm, pooling, lsh, stride, block_stride or bos_pooling (default: norm).")
    private String sparsityType;

    @Option(names = "--num-global-tokens", paramLabel = "N", description = "Global tokens, 1 to 512 (default: 1).")
    private Integer numGlobalTokens;

    @Option(names = "--global-positional-stride", paramLabel = "N", defaultValue = "64",
            description = "Position stride between the global tokens' starting rows (default: ${DEFAULT-VALUE}).")
    private int stride;

    @Option(names = "--random-global-init",
            description = "Draw the global tokens from a normal fitted on the word embeddings (seeded by --seed).")
    private boolean randomGlobalInit;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "123",
            description = "Seed of the random draws (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--keep-first-global-token", description = "Keep global token 0 of an LSG source.")
    private boolean keepFirst;

    @Option(names = "--resize-lsg", description = "An LSG source: only extend its positions, keep its global tokens.")
    private boolean resizeLsg;

    @Option(names = "--no-token-ids", negatable = false,
            description = "Do not add token type 0 to the global tokens (BERT, ELECTRA, ALBERT).")
    private boolean noTokenIds;

    @Override
    public Integer call() {
        if (maxLength < 1) {
            throw new org.lsg4j.LsgException("--max-length must be at least 1, got " + maxLength);
        }
        ConversionOptions options = ConversionOptions.defaults().withMaxLength(maxLength)
                .withGlobalPositionalStride(stride).withRandomGlobalInit(randomGlobalInit, seed)
                .withKeepFirstGlobalToken(keepFirst).withResizeLsg(resizeLsg).withUseTokenIds(!noTokenIds);
        for (Map.Entry<String, String> e : model.overrides().entrySet()) {
            options = options.withConfig(e.getKey(), e.getValue());
        }
        options = with(options, "block_size", blockSize);
        options = with(options, "sparse_block_size", sparseBlockSize);
        options = with(options, "sparsity_factor", sparsityFactor);
        options = with(options, "num_global_tokens", numGlobalTokens);
        if (sparsityType != null) {
            options = options.withConfig("sparsity_type", "\"" + sparsityType + "\"");
        }
        PrintWriter err = spec.commandLine().getErr();
        LsgConverter.Result r = LsgConverter.convert(model.resolve(), output, options,
                w -> err.println("lsg: warning: " + w));
        LsgConfig c = r.config();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: %s, %d tokens, block_size %d, sparse_block_size %d, sparsity %s (factor %d),"
                        + " %d global token%s%n", output, c.architecture().className(), c.maxTokens(), c.blockSize(),
                c.sparseBlockSize(), c.sparsityType().configName(), c.sparsityFactor(), c.numGlobalTokens(),
                c.numGlobalTokens() == 1 ? "" : "s");
        out.flush();
        return 0;
    }

    private static ConversionOptions with(ConversionOptions options, String key, Integer value) {
        return value == null ? options : options.withConfig(key, value.toString());
    }
}
