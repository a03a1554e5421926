package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.Workers;
import org.lsg4j.train.Task;
import org.lsg4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lsg train}: fine-tunes a model on JSON lines (see {@link Trainer}). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a model on JSON lines and write the trained model folder (config.json, "
                + "model.safetensors, tokenizer, metrics.json, README.md), loadable by every lsg command and by "
                + "transformers with trust_remote_code. A head the checkpoint lacks is added, newly initialized; "
                + "label names become id2label. Checkpoints go to OUTPUT/checkpoint-<step>; --resume continues "
                + "from the latest one.",
                "",
                "One JSON object per line, by --task:",
                "  seq-classification    {\"text\": ..., \"pair\"?: ..., \"label\": \"sports\"}",
                "  multi-label           {\"text\": ..., \"label\": [\"sports\", \"politics\"]}",
                "  regression            {\"text\": ..., \"label\": 0.75}",
                "  token-classification  {\"tokens\": [\"Ada\", \"met\"], \"tags\": [\"B-PER\", \"O\"]}",
                "  qa                    {\"question\": ..., \"context\": ...,",
                "                         \"answers\": {\"text\": [...], \"answer_start\": [...]}}",
                "  multiple-choice       {\"prompt\": ..., \"choices\": [...], \"label\": 1}",
                "  mlm                   {\"text\": ...}",
                ""},
        footer = {"", "Examples:",
                "  lsg train --model ccdv/lsg-roberta-base-4096 --task seq-classification \\",
                "      --train train.jsonl --eval dev.jsonl --output out --recipe card \\",
                "      --lr 1e-3 --epochs 3 --batch-size 1 --grad-accum 8",
                "  lsg train --model DIR --task mlm --train text.jsonl --output out \\",
                "      --max-steps 1000 --resume"})
final class TrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOption model;

    @Option(names = "--task", required = true, paramLabel = "TASK",
            description = "seq-classification, multi-label, regression, token-classification, qa, multiple-choice or mlm.")
    private String task;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training examples (JSON lines).")
    private Path train;

    @Option(names = "--eval", paramLabel = "FILE", description = "Held-out examples, scored after each epoch and at the end.")
    private Path eval;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Where checkpoints and the trained model go (new or empty, unless --resume).")
    private Path output;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N",
            description = "Stop after N optimizer steps whatever the epochs (default: the epochs decide).")
    private int maxSteps;

    @Option(names = "--lr", defaultValue = "5e-5", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N",
            description = "Inputs per forward pass, grouped by length (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--grad-accum", defaultValue = "1", paramLabel = "N",
            description = "Forward passes per optimizer step (default: ${DEFAULT-VALUE}).")
    private int gradAccum;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "STEPS|RATIO",
            description = "Warm-up of the linear schedule: a step count (100) or a fraction of the steps (0.1).")
    private String warmup;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
    private double weightDecay;

    @Option(names = "--max-grad-norm", defaultValue = "1.0",
            description = "Clip gradients to this global norm; 0 for none (default: ${DEFAULT-VALUE}).")
    private double maxGradNorm;

    @Option(names = "--max-length", defaultValue = "0", paramLabel = "TOKENS",
            description = "Tokens per input, special tokens included (default: all the model takes).")
    private int maxLength;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the data order, dropout, MLM masks and new weights (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--trainable", paramLabel = "all|head|global|NAME,...",
            description = "What learns: all (default), head, global (global_embeddings and the head: the model card's "
            + "recipe), or parts of parameter names, comma-separated. New weights always learn.")
    private String trainable;

    @Option(names = "--recipe", paramLabel = "card",
            description = "card: the model card's recipe, --trainable global with --config num_global_tokens=16 --config "
            + "pool_with_global=true (options given explicitly win).")
    private String recipe;

    @Option(names = "--label-all-tokens", description = "Token classification: label every token of a word, not only the first.")
    private boolean labelAllTokens;

    @Option(names = "--doc-stride", defaultValue = "-1", paramLabel = "TOKENS",
            description = "QA: overlap of the windows a long context is cut into (default: min(max length / 2, 128)).")
    private int docStride;

    @Option(names = "--save-every", defaultValue = "100", paramLabel = "N",
            description = "A checkpoint every N steps, and one at the end; 0 for the end only (default: ${DEFAULT-VALUE}).")
    private int saveEvery;

    @Option(names = "--keep-checkpoints", defaultValue = "2", paramLabel = "N",
            description = "How many of the newest checkpoints to keep (default: ${DEFAULT-VALUE}).")
    private int keepCheckpoints;

    @Option(names = "--eval-every", defaultValue = "0", paramLabel = "N",
            description = "Evaluate every N steps (default: at the end of each epoch), and at the end.")
    private int evalEvery;

    @Option(names = "--log-every", defaultValue = "10", paramLabel = "N",
            description = "Without a terminal, a progress line every N steps (default: ${DEFAULT-VALUE}).")
    private int logEvery;

    @Option(names = "--resume", description = "Continue the run saved in --output from its latest checkpoint.")
    private boolean resume;

    @Option(names = "--recompute", description = "Recompute layers in the backward pass: far less memory, about 1/3 more time.")
    private boolean recompute;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: the available processors).")
    private Integer threads;

    @Override
    public Integer call() {
        if (logEvery < 1) {
            throw new LsgException("--log-every must be at least 1");
        }
        Task t = Task.of(task);
        for (Path f : eval == null ? new Path[] {train} : new Path[] {train, eval}) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {  // before a Hub download
                throw new LsgException(f + ": " + (Files.exists(f) ? "not a readable file" : "file not found"));
            }
        }
        Path dir = model.resolve();
        Trainer.Builder b = Trainer.builder(dir, t, train, output).modelName(model.name()).eval(eval).epochs(epochs)
                .maxSteps(maxSteps).learningRate(lr).batchSize(batchSize).gradAccum(gradAccum).weightDecay(weightDecay)
                .maxGradNorm(maxGradNorm).maxLength(maxLength).seed(seed).labelAllTokens(labelAllTokens)
                .docStride(docStride).saveEvery(saveEvery).keepCheckpoints(keepCheckpoints).evalEvery(evalEvery)
                .resume(resume).recompute(recompute);
        if (recipe != null) {
            if (!recipe.equals("card")) {
                throw new LsgException("--recipe " + recipe + ": the only recipe is card");
            }
            b.cardRecipe();
        }
        model.overrides().forEach(b::config);
        if (trainable != null) {
            b.trainable(trainable);
        }
        warmup(b);
        Trainer trainer = b.build();
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw new LsgException("--threads must be at least 1");
        }
        TrainProgress progress = new TrainProgress(spec.commandLine().getErr(), CliContext.of(spec).terminal(), logEvery);
        Trainer.Result r;
        try (Workers workers = Workers.create(n)) {
            r = trainer.run(workers, progress);
        }
        progress.line(String.format(Locale.ROOT, "lsg: trained %d steps in %s (%,.0f tokens/s); the model is in %s",
                r.steps(), TrainProgress.duration(r.seconds()), r.seconds() > 0 ? r.tokens() / r.seconds() : 0, output));
        return 0;
    }

    private void warmup(Trainer.Builder b) {
        try {
            if (warmup.matches("\\d+")) {
                b.warmupSteps(Integer.parseInt(warmup));
            } else {
                b.warmupRatio(Double.parseDouble(warmup));
            }
        } catch (NumberFormatException e) {
            throw new LsgException("--warmup " + warmup + ": expected a step count (100) or a fraction (0.1)");
        }
    }
}
