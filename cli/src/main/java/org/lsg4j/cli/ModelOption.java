package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.hub.DefaultModel;
import org.lsg4j.hub.Hub;
import org.lsg4j.hub.ProgressListener;
import org.lsg4j.hub.TextProgressBar;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.pipelines.TaskModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --model DIR|ORG/NAME[@REV]} and {@code --offline}: a model folder, or a Hub id found in
 * the Hugging Face cache (downloaded into it when missing, unless offline); without {@code --model},
 * lsg4j's default model ({@link DefaultModel}, made in lsg4j's cache on first use, with no network).
 * Mix into a command with {@code @Mixin ModelOption model;}.
 */
public final class ModelOption {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|ORG/NAME[@REV]",
            description = "A model folder, or a Hugging Face Hub id such as ccdv/lsg-distilroberta-base-4096 (optionally "
            + "@revision), read from the Hub cache (HF_HOME, HF_HUB_CACHE) or downloaded into it. Default: "
            + DefaultModel.NAME + " (all-MiniLM-L6-v2 converted to LSG, 4096 tokens), made once in LSG4J_HOME (else ~/.cache/lsg4j) "
            + "from the jar, without network.")
    private String model;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "Override a config.json key when loading, as from_pretrained(..., key=value) does (repeatable): "
            + "--config num_global_tokens=16 --config sparsity_type=none. Values are JSON (64, true, null, "
            + "\"norm\") or plain strings; the result is validated as config.json is.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--offline", description = "Never use the network: the model must be a folder or in the cache "
            + "(as HF_HUB_OFFLINE=1).")
    private boolean offline;

    /** The model folder: the folder given, the Hub id's snapshot in the cache, or the default model's folder. */
    public Path resolve() {
        return resolve(spec, model, offline);
    }

    /**
     * The folder of {@code model} (a folder or Hub id, or null for the default model), for the commands
     * that take their own {@code --model}. Making the default model is reported on stderr, one line a stage.
     */
    static Path resolve(CommandSpec spec, String model, boolean offline) {
        CliContext context = CliContext.of(spec);
        if (model == null) {
            PrintWriter err = spec.commandLine().getErr();
            return DefaultModel.resolve(context.lsgCache(), line -> {
                err.println("lsg: " + line);
                err.flush();
            });
        }
        Hub hub = new Hub(offline ? context.hub().withOffline(true) : context.hub());
        ProgressListener progress = context.terminal() ? new TextProgressBar(System.err) : ProgressListener.NONE;
        try {
            return hub.resolve(model, progress);
        } catch (LsgException e) {
            if (offline || context.hub().offline()) {
                // the next step, for a Hub id the cache lacks
                throw new LsgException(e.getMessage() + "; download it first, with the network: lsg download "
                        + model, e);
            }
            throw e;
        }
    }

    /** Loads the model with the head the task needs, and its tokenizer. */
    public TaskModel load(Head head) {
        return load(head, resolve());
    }

    /** Loads the model of a folder {@link #resolve()} gave, with the --config overrides. */
    public TaskModel load(Head head, Path dir) {
        return TaskModel.load(dir, head, overrides);
    }

    /** The config of a resolved model folder, with the --config overrides. */
    public LsgConfig config(Path dir) {
        return LsgConfig.load(dir.resolve("config.json"), overrides);
    }

    /** The --config overrides, key to value. */
    public Map<String, String> overrides() {
        return Map.copyOf(overrides);
    }

    /** The model as given on the command line, or the default model's name. */
    public String name() {
        return model == null ? DefaultModel.NAME : model;
    }
}
