package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.model.LsgModel;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.model.NamedInputs;
import org.lsg4j.model.Parameters;
import org.lsg4j.model.TrainableModel;
import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.Tolerance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lsg forward}: one forward pass from named input tensors to named output tensors. */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run a checkpoint on safetensors inputs and write its outputs, named as the reference's. A way "
            + "to check lsg4j against the PyTorch reference on any case. The head is the one config.json's "
            + "architectures names. Inputs: input_ids, attention_mask, token_type_ids, labels, "
            + "start_positions, end_positions, lsh_proj.N. Outputs: last_hidden_state, pooler_output, logits, "
            + "start_logits, end_logits, loss, hidden_states.K.",
        footer = {"", "Example:", "  lsg forward --model \\", "      ../shared/fixtures/lsg-roberta/norm-f2-base-long-hidden \\",
                "      --inputs \\", "      ../shared/fixtures/lsg-roberta/norm-f2-base-long-hidden/inputs.safetensors \\",
                "      --output /tmp/out.safetensors --hidden-states"})
final class ForwardCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOption model;

    @Option(names = "--inputs", required = true, paramLabel = "IN", description = "Input tensors (.safetensors).")
    private Path inputs;

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "Where to write the outputs (.safetensors); written only on success.")
    private Path output;

    @Option(names = "--hidden-states", description = "Also write hidden_states.0 .. hidden_states.L (untrimmed).")
    private boolean hiddenStates;

    @Option(names = "--lsh-seed", paramLabel = "SEED", defaultValue = "0",
            description = "Seed of the lsh random directions when the inputs hold no lsh_proj.N (default: ${DEFAULT-VALUE}).")
    private long lshSeed;

    @Option(names = "--backward",
            description = "Also run the backward pass and write grad.<parameter> for the --trainable parameters (zeros for "
            + "one that takes no part in the loss). The loss is the model's own when the inputs hold labels, "
            + "else the sum of squares of last_hidden_state, written as grad_loss.")
    private boolean backward;

    @Option(names = "--trainable", paramLabel = "all|NAME,...", defaultValue = "all",
            description = "With --backward: all, or parts of parameter names (a parameter is trainable when its checkpoint "
            + "name contains one), e.g. global_embeddings,classifier (default: ${DEFAULT-VALUE}).")
    private String trainable;

    @Option(names = "--compare", paramLabel = "REF",
            description = "Reference outputs (.safetensors) to compare with, elementwise |java - ref| <= 2e-5 + 2e-5 "
            + "|ref|, against the float64 twin NAME.f64 when the file has one. Prints one line per output; "
            + "exit code 3 when one is out of tolerance or missing. Gradients (grad.*, grad_loss) are compared "
            + "with --backward.")
    private Path compare;

    @Override
    public Integer call() {
        Path dir = model.resolve();
        ModelOutputs out;
        // every check comes before the write: the reference is opened and compared first, so that a
        // failure anywhere leaves no output file
        try (SafeTensors in = SafeTensors.open(inputs); SafeTensors ref = compare == null ? null : SafeTensors.open(compare)) {
            ModelInputs modelInputs = NamedInputs.read(in).withHiddenStates(hiddenStates);
            if (modelInputs.lshDraws() == null) {
                modelInputs = modelInputs.withLshDraws(org.lsg4j.model.LshDraws.seeded(lshSeed));
            }
            try {
                out = backward ? forwardBackward(dir, modelInputs) : forward(dir, modelInputs);
            } catch (LsgException e) {
                throw new LsgException(inputs + ": " + e.getMessage(), e);
            }
            StringWriter report = new StringWriter();
            boolean ok = ref == null || compareWith(out, ref, new PrintWriter(report));
            SafeTensors.write(output, new LinkedHashMap<>(out.tensors()), Map.of("format", "pt"));
            spec.commandLine().getOut().print(report);
            spec.commandLine().getOut().flush();
            return ok ? 0 : Main.EXIT_MISMATCH;
        }
    }

    private ModelOutputs forward(Path dir, ModelInputs in) {
        LsgModel m = LsgModel.load(dir, model.overrides());
        m.warnings().forEach(w -> spec.commandLine().getErr().println("lsg: warning: " + w));
        return m.forward(in);
    }

    private ModelOutputs forwardBackward(Path dir, ModelInputs in) {
        TrainableModel m = TrainableModel.load(dir, null, model.overrides(), TrainableModel.trainable(trainable));
        m.model().warnings().forEach(w -> spec.commandLine().getErr().println("lsg: warning: " + w));
        if (m.parameters().all().stream().noneMatch(Parameters.Param::trainable)) {
            throw new LsgException("--trainable " + trainable + " matches no parameter of " + dir);
        }
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        try (Workers workers = Workers.create(Runtime.getRuntime().availableProcessors())) {
            tensors.putAll(m.forwardBackward(in, workers, 1f).tensors());
        }
        for (Parameters.Param p : m.parameters().all()) {
            if (p.trainable()) {
                tensors.put("grad." + p.name(), new FloatTensor(p.shape(), p.grad()));
            }
        }
        return new ModelOutputs(tensors);
    }

    /** Writes one line per reference output to {@code w}; whether every one is within the tolerance. */
    private boolean compareWith(ModelOutputs out, SafeTensors ref, PrintWriter w) {
        boolean ok = true;
        for (String name : ref.names()) {
            if (name.endsWith(".f64") || name.startsWith("grad") && !backward) {
                continue;
            }
            FloatTensor expected = ref.floats(ref.contains(name + ".f64") ? name + ".f64" : name);
            FloatTensor actual = out.get(name);
            String shown = LsgException.oneLine(name);
            if (actual == null) {
                w.printf("%-20s MISSING (%s)%n", shown, name.startsWith("hidden_states.") && !hiddenStates
                        ? "run with --hidden-states" : name.startsWith("grad.") ? "not a --trainable parameter"
                        : "not produced by this model and these inputs");
                ok = false;
            } else if (!Arrays.equals(actual.shape(), expected.shape())) {
                w.printf("%-20s SHAPE %s, reference %s%n", shown, actual.shapeString(), expected.shapeString());
                ok = false;
            } else {
                Tolerance.Worst worst = Tolerance.PARITY.compare(expected.data(), actual.data());
                w.printf("%-20s %-8s max |error| %.3g (%.3f of the tolerance) at %d%n", shown,
                        worst.within() ? "ok" : "MISMATCH", worst.error(), worst.ratio(), worst.index());
                ok &= worst.within();
            }
        }
        w.flush();
        return ok;
    }
}
