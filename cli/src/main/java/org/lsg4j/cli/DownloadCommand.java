package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.hub.Hub;
import org.lsg4j.hub.ModelRef;
import org.lsg4j.hub.ProgressListener;
import org.lsg4j.hub.TextProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code lsg download ORG/NAME[@REV]}: puts a model's files into the Hugging Face cache, as the
 * first run of a task would, and prints its snapshot folder, so that later runs work offline.
 * Every file is checked against the hash the Hub sent before it enters the cache.
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a model from the Hugging Face Hub into the Hugging Face cache (HF_HOME, HF_HUB_CACHE), "
            + "as the first run of a task would: config.json, the tokenizer files and the weights, each "
            + "checked against the hash the Hub sends. Prints the snapshot folder; later runs can use "
            + "--offline.",
        footer = {"", "Examples:",
                "  lsg download ccdv/lsg-distilroberta-base-4096",
                "  lsg download ccdv/lsg-roberta-base-4096@main && lsg fill-mask --offline \\", "      --model ccdv/lsg-roberta-base-4096 \"... <mask> ...\""})
final class DownloadCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ORG/NAME[@REV]", description = "The Hub id, with an optional branch, tag or commit.")
    private String id;

    @Override
    public Integer call() {
        ModelRef.parse(id);   // an id, not a folder: refused in one line before any network use
        CliContext context = CliContext.of(spec);
        if (context.hub().offline()) {
            throw new LsgException("lsg download needs the network, but offline mode is on (HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE)");
        }
        PrintWriter err = spec.commandLine().getErr();
        ProgressListener progress = context.terminal() ? new TextProgressBar(System.err) : new ProgressListener() {
            @Override
            public void progress(String file, long done, long total) {
            }

            @Override
            public void finished(String file) {
                err.println("lsg: downloaded " + file);
                err.flush();
            }
        };
        Path snapshot = new Hub(context.hub()).resolve(id, progress);
        spec.commandLine().getOut().println(snapshot);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
