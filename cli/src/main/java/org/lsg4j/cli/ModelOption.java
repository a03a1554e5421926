package org.lsg4j.cli;

import org.lsg4j.hub.Hub;
import org.lsg4j.hub.ProgressListener;
import org.lsg4j.hub.TextProgressBar;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.pipelines.TaskModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --model DIR|ORG/NAME[@REV]} and {@code --offline}: a model folder, or a Hub id found in
 * the Hugging Face cache (downloaded into it when missing, unless offline). Mix into a command
 * with {@code @Mixin ModelOption model;}.
 */
public final class ModelOption {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME[@REV]",
            description = {"A model folder, or a Hugging Face Hub id such as ccdv/lsg-distilroberta-base-4096",
                    "(optionally @revision), read from the Hub cache (HF_HOME, HF_HUB_CACHE) or downloaded into it."})
    private String model;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = {"Override a config.json key when loading, as from_pretrained(..., key=value) does",
                    "(repeatable): --config num_global_tokens=16 --config sparsity_type=none. Values are JSON",
                    "(64, true, null, \"norm\") or plain strings; the result is validated as config.json is."})
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--offline", description = "Never use the network: the model must be a folder or in the cache "
            + "(as HF_HUB_OFFLINE=1).")
    private boolean offline;

    /** The model folder: the folder given, or the Hub id's snapshot in the cache. */
    public Path resolve() {
        CliContext context = CliContext.of(spec);
        Hub hub = new Hub(offline ? context.hub().withOffline(true) : context.hub());
        ProgressListener progress = context.terminal() ? new TextProgressBar(System.err) : ProgressListener.NONE;
        return hub.resolve(model, progress);
    }

    /** Loads the model with the head the task needs, and its tokenizer. */
    public TaskModel load(Head head) {
        return TaskModel.load(resolve(), head, overrides);
    }

    /** The config of a resolved model folder, with the --config overrides. */
    public LsgConfig config(Path dir) {
        return LsgConfig.load(dir.resolve("config.json"), overrides);
    }

    /** The --config overrides, key to value. */
    public Map<String, String> overrides() {
        return Map.copyOf(overrides);
    }

    /** The model as given on the command line. */
    public String name() {
        return model;
    }
}
