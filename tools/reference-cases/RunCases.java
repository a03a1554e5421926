import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.LsgException;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.LsgModel;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.model.NamedInputs;
import org.lsg4j.model.Parameters;
import org.lsg4j.model.TrainableModel;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.Tolerance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The forward cases of a make_cases.py folder run in one JVM (the checks of {@code lsg forward
 * --compare}, without a JVM start per case): every float32 output of outputs.safetensors against
 * {@code |java - ref| <= 2e-5 + 2e-5 |ref|}, hidden states included; a case the reference refuses
 * must be refused with an LsgException. Gradient cases (case.json "gradients"): the forward and backward
 * of TrainableModel with the listed parameters trainable, every grad.NAME and the loss within
 * {@code 2e-5 + 2e-5 |ref|} of the float64 twin (as GradientParityTest). Conversions are left to
 * check_cases.py.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp cli/target/lsg.jar tools/reference-cases/RunCases.java DIR [REGEX]</pre>
 */
public class RunCases {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Pattern only = args.length > 1 ? Pattern.compile(args[1]) : null;
        JsonNode index = new ObjectMapper().readTree(root.resolve("index.json").toFile());
        List<String> failed = new ArrayList<>();
        int run = 0;
        for (JsonNode entry : index.get("cases")) {
            String name = entry.get("name").asText();
            if (entry.path("kind").asText("forward").equals("conversion") || only != null && !only.matcher(name).find()) {
                continue;
            }
            run++;
            String result;
            try {
                result = check(root.resolve(name));
            } catch (RuntimeException | AssertionError e) {
                result = "FAIL " + e;
            }
            if (result.startsWith("FAIL")) {
                failed.add(name);
            }
            System.out.printf("%-50s %s%n", name, result);
        }
        System.out.printf("%d cases, %d passed, %d failed%n", run, run - failed.size(), failed.size());
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    private static String check(Path dir) throws Exception {
        JsonNode info = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        JsonNode error = info.get("expect_error");
        boolean hidden = info.path("call").path("output_hidden_states").asBoolean(false);
        if (error != null && !error.isNull()) {
            try {
                forward(dir, hidden);
            } catch (LsgException e) {
                return "ok   refused as expected: " + e.getMessage();
            }
            return "FAIL the reference refuses (" + error.get("type").asText() + ": " + error.get("message").asText()
                    + ") but lsg4j runs it";
        }
        ModelOutputs out;
        TrainableModel trainable = null;
        try {
            if (info.hasNonNull("gradients")) {
                Set<String> names = new HashSet<>();
                info.get("gradients").get("trainable").forEach(n -> names.add(n.asText()));
                trainable = TrainableModel.load(dir, null, Map.of(), names::contains);
                try (SafeTensors inputs = SafeTensors.open(dir.resolve("inputs.safetensors"));
                     Workers workers = Workers.create(2)) {
                    out = trainable.forwardBackward(NamedInputs.read(inputs).withHiddenStates(hidden), workers, 1f);
                }
            } else {
                out = forward(dir, hidden);
            }
        } catch (LsgException e) {
            return "FAIL refused: " + e.getMessage();
        }
        List<String> bad = new ArrayList<>();
        double worst = 0;
        try (SafeTensors ref = SafeTensors.open(dir.resolve("outputs.safetensors"))) {
            for (String name : ref.names()) {
                if (name.endsWith(".f64")) {
                    continue;
                }
                boolean gradient = name.startsWith("grad");
                FloatTensor expected = ref.floats(gradient ? name + ".f64" : name);
                FloatTensor actual;
                if (name.startsWith("grad.")) {
                    Parameters.Param p = trainable.parameters().get(name.substring(5));
                    actual = p == null || !p.trainable() ? null : new FloatTensor(p.shape(), p.grad());
                } else {
                    actual = out.get(name);
                }
                if (actual == null) {
                    bad.add(name + " not produced");
                    continue;
                }
                if (!Arrays.equals(expected.shape(), actual.shape())) {
                    bad.add(name + " shape " + Arrays.toString(actual.shape()) + ", reference "
                            + Arrays.toString(expected.shape()));
                    continue;
                }
                Tolerance.Worst w = Tolerance.PARITY.compare(expected.data(), actual.data());
                worst = Math.max(worst, w.ratio());
                if (!w.within()) {
                    bad.add(String.format("%s[%d] = %s, reference %s (%.1f x the tolerance)", name, w.index(),
                            w.actual(), w.expected(), w.ratio()));
                }
            }
        }
        return bad.isEmpty() ? String.format("ok   worst %.3f of the tolerance", worst) : "FAIL " + String.join("; ", bad);
    }

    private static ModelOutputs forward(Path dir, boolean hidden) {
        LsgModel model = LsgModel.load(dir);
        try (SafeTensors inputs = SafeTensors.open(dir.resolve("inputs.safetensors"))) {
            return model.forward(NamedInputs.read(inputs).withHiddenStates(hidden));
        }
    }
}
