package org.lsg4j.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code lsg completion bash|zsh}: the shell completion script of every command and option,
 * written by picocli's AutoComplete from the command model (so it never lags behind the options).
 * The bash script works in zsh too, through {@code bashcompinit}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the shell completion script for lsg. bash: source <(lsg completion bash)    (or save it "
            + "in /etc/bash_completion.d/lsg) zsh:  autoload -U +X bashcompinit && bashcompinit && source "
            + "<(lsg completion zsh)")
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "bash|zsh", description = "The shell: bash or zsh.")
    private Shell shell;

    @Override
    public Integer call() {
        // picocli's script serves both shells: zsh runs it through bashcompinit
        String script = AutoComplete.bash("lsg", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
