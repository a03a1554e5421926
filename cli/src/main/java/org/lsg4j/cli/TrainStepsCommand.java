package org.lsg4j.cli;

import org.lsg4j.LsgException;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.NamedInputs;
import org.lsg4j.model.Parameters;
import org.lsg4j.model.TrainableModel;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.train.AdamW;
import org.lsg4j.train.LinearSchedule;
import org.lsg4j.train.Optimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lsg train-steps}: replays a fixed sequence of optimizer steps (AdamW with PyTorch's
 * semantics, clipping, a linear warm-up schedule, gradient accumulation) on stored batches, and
 * writes each step's loss, gradient norm, learning rate and parameters: the procedure of
 * ../shared/fixtures/lsg-optimizer, for checking lsg4j's training against PyTorch on any case.
 */
@Command(name = "train-steps", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run optimizer steps on stored batches and write what each step did. Batches are named "
            + "step<K>.<input> (input_ids, attention_mask, labels, ...), or step<K>.micro<M>.<input> for "
            + "gradient accumulation (each micro-batch's loss divided by their number). Writes loss.step<K> "
            + "(and loss.step<K>.micro<M>), grad_norm.step<K> (before clipping), lr.step<K> and "
            + "params.step<K>.<name> for every trainable parameter.",
        footer = {"", "Example:", "  lsg train-steps --model ../shared/fixtures/lsg-optimizer/opt-seqcls-recipe \\",
                "      --batches \\", "      ../shared/fixtures/lsg-optimizer/opt-seqcls-recipe/inputs.safetensors \\",
                "      --output /tmp/steps.safetensors --trainable \\", "      global_embeddings,classifier --lr 1e-3 \\",
                "      --warmup 1 --total-steps 3 --max-grad-norm 1.0"})
final class TrainStepsCommand implements Callable<Integer> {
    private static final Pattern BATCH = Pattern.compile("step(\\d+)\\.(?:micro(\\d+)\\.)?(.+)");

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOption model;

    @Option(names = "--batches", required = true, paramLabel = "IN", description = "The batches (.safetensors).")
    private Path batches;

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "Where to write the results (.safetensors).")
    private Path output;

    @Option(names = "--trainable", paramLabel = "all|NAME,...", defaultValue = "all",
            description = "all, or parts of parameter names (default: ${DEFAULT-VALUE}).")
    private String trainable;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--beta1", defaultValue = "0.9", description = "AdamW beta1 (default: ${DEFAULT-VALUE}).")
    private double beta1;

    @Option(names = "--beta2", defaultValue = "0.999", description = "AdamW beta2 (default: ${DEFAULT-VALUE}).")
    private double beta2;

    @Option(names = "--eps", defaultValue = "1e-8", description = "AdamW eps (default: ${DEFAULT-VALUE}).")
    private double eps;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "Decoupled weight decay (default: ${DEFAULT-VALUE}).")
    private double weightDecay;

    @Option(names = "--max-grad-norm", defaultValue = "1.0",
            description = "Clip gradients to this global L2 norm; 0 for none (default: ${DEFAULT-VALUE}).")
    private double maxGradNorm;

    @Option(names = "--warmup", defaultValue = "0", description = "Warm-up steps of the linear schedule (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--total-steps", paramLabel = "N", description = "Steps of the linear schedule (default: --steps).")
    private Integer totalSteps;

    @Option(names = "--steps", paramLabel = "N", description = "Steps to run (default: every step the batches hold).")
    private Integer steps;

    @Option(names = "--grad-accum", paramLabel = "M",
            description = "Micro-batches per step (default: as many as the batches hold for each step).")
    private Integer gradAccum;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: the available processors).")
    private Integer threads;

    @Override
    public Integer call() {
        if (lr < 0 || warmup < 0 || maxGradNorm < 0 || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || eps <= 0) {
            throw new LsgException("--lr, --warmup and --max-grad-norm must be >= 0, --beta1/--beta2 in [0, 1), --eps > 0");
        }
        try (SafeTensors in = SafeTensors.open(batches);
             Workers workers = Workers.create(threads != null ? threads : Runtime.getRuntime().availableProcessors())) {
            Map<Integer, TreeSet<Integer>> micro = layout(in);
            int n = steps != null ? steps : micro.size();
            if (n < 1 || n > micro.size()) {
                throw new LsgException("--steps " + n + ": " + batches + " holds batches for steps 1.." + micro.size());
            }
            TrainableModel m = TrainableModel.load(model.resolve(), null, model.overrides(),
                    TrainableModel.trainable(trainable));
            m.model().warnings().forEach(w -> spec.commandLine().getErr().println("lsg: warning: " + w));
            if (m.parameters().all().stream().noneMatch(Parameters.Param::trainable)) {
                throw new LsgException("--trainable " + trainable + " matches no parameter");
            }
            Optimizer optimizer = new Optimizer(m, new AdamW.Settings(beta1, beta2, eps, weightDecay),
                    new LinearSchedule(lr, warmup, totalSteps != null ? totalSteps : n), maxGradNorm);
            Map<String, Object> out = new LinkedHashMap<>();
            for (int k = 1; k <= n; k++) {
                TreeSet<Integer> micros = micro.get(k);
                List<ModelInputs> list = new ArrayList<>();
                List<String> prefixes = new ArrayList<>();
                for (int mb : micros) {
                    String prefix = mb < 0 ? "step" + k + "." : "step" + k + ".micro" + mb + ".";
                    prefixes.add(prefix);
                    list.add(NamedInputs.read(in, prefix));
                }
                if (gradAccum != null && gradAccum != list.size()) {
                    throw new LsgException(batches + ": step " + k + " has " + list.size()
                            + " micro-batches, --grad-accum says " + gradAccum);
                }
                Optimizer.Step s;
                try {
                    s = optimizer.step(list, workers);
                } catch (LsgException e) {
                    throw new LsgException(batches + " step " + k + ": " + e.getMessage(), e);
                }
                out.put("loss.step" + k, scalar(s.loss()));
                if (micros.first() >= 0) {
                    int i = 0;
                    for (int mb : micros) {
                        out.put("loss.step" + k + ".micro" + mb, scalar(s.microLosses().get(i++)));
                    }
                }
                out.put("grad_norm.step" + k, scalar(s.gradNorm()));
                out.put("lr.step" + k, scalar(s.lr()));
                for (Parameters.Param p : m.parameters().all()) {
                    if (p.trainable()) {
                        out.put("params.step" + k + "." + p.name(), new FloatTensor(p.shape(), p.value().clone()));
                    }
                }
                spec.commandLine().getErr().printf("lsg: step %d: loss %.6f, grad_norm %.6f, lr %.3g%n",
                        k, s.loss(), s.gradNorm(), s.lr());
            }
            SafeTensors.write(output, out, Map.of("format", "pt"));
        }
        return 0;
    }

    /** Steps 1..K of the file, each with its micro-batch numbers (-1 for a step without micro-batches). */
    private Map<Integer, TreeSet<Integer>> layout(SafeTensors in) {
        Map<Integer, TreeSet<Integer>> steps = new java.util.TreeMap<>();
        for (String name : in.names()) {
            Matcher mt = BATCH.matcher(name);
            if (!mt.matches()) {
                throw new LsgException(batches + ": tensor \"" + name + "\" is not named step<K>.<input> or"
                        + " step<K>.micro<M>.<input>");
            }
            int k = Integer.parseInt(mt.group(1));
            int mb = mt.group(2) == null ? -1 : Integer.parseInt(mt.group(2));
            steps.computeIfAbsent(k, x -> new TreeSet<>()).add(mb);
        }
        int expect = 1;
        for (Map.Entry<Integer, TreeSet<Integer>> e : steps.entrySet()) {
            if (e.getKey() != expect++) {
                throw new LsgException(batches + ": steps must be numbered 1, 2, 3, ... without gaps; found step " + e.getKey());
            }
            if (e.getValue().contains(-1) && e.getValue().size() > 1) {
                throw new LsgException(batches + ": step " + e.getKey() + " mixes step<K>.<input> and micro-batches");
            }
        }
        if (steps.isEmpty()) {
            throw new LsgException(batches + ": no batches (tensors named step1.input_ids, ...)");
        }
        return steps;
    }

    private static FloatTensor scalar(double v) {
        return new FloatTensor(new int[0], new float[]{(float) v});
    }
}
