package org.lsg4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Where a run is, as a checkpoint records it in {@code trainer_state.json} beside the weights and
 * {@code optimizer.safetensors}: the steps done and the data position they reached (epoch, batch),
 * the seeds of the data order, dropout and MLM masks, the settings and the SHA-256 of the data files
 * (a resumed run must repeat them), and the history (each step's loss, each evaluation). The random
 * draws are functions of (seed, epoch, step), so these numbers are the whole random state.
 */
final class TrainingState {
    static final String FILE = "trainer_state.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    int step;
    double seconds;
    long tokens;
    final ArrayNode log;
    final ArrayNode evaluations;
    private final ObjectNode fingerprint;

    /**
     * @param fingerprint what must match for a run to resume from this state: the settings, the
     *                    seeds and the data files' hashes
     */
    TrainingState(ObjectNode fingerprint) {
        this.fingerprint = fingerprint;
        this.log = JSON.createArrayNode();
        this.evaluations = JSON.createArrayNode();
    }

    /** What a run of these settings on these files must match to resume. */
    static ObjectNode fingerprint(TrainingSettings settings, String trainSha256, String evalSha256) {
        ObjectNode f = JSON.createObjectNode();
        f.set("settings", JSON.valueToTree(settings));
        f.put("seed", settings.seed());
        f.put("dropout_seed", settings.seed());
        f.put("train_sha256", trainSha256);
        f.put("eval_sha256", evalSha256);
        try {
            return (ObjectNode) JSON.readTree(JSON.writeValueAsString(f));   // numbers typed as a file reads them
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    void recordStep(TrainingListener.Step s) {
        ObjectNode e = log.addObject();
        e.put("step", s.step());
        e.put("epoch", s.epoch());
        e.put("loss", s.loss());
        e.put("learning_rate", s.learningRate());
        e.put("grad_norm", s.gradNorm());
        e.put("tokens", s.tokens());
        e.put("seconds", s.seconds());
    }

    void recordEvaluation(int step, double epoch, Map<String, Double> metrics) {
        ObjectNode e = evaluations.addObject();
        e.put("step", step);
        e.put("epoch", epoch);
        metrics.forEach(e::put);
    }

    /** The steps of an epoch and the position the next step reads from. */
    ObjectNode toJson(int stepsPerEpoch) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("step", step);
        root.put("epoch", step / stepsPerEpoch);
        root.put("step_in_epoch", step % stepsPerEpoch);
        root.put("steps_per_epoch", stepsPerEpoch);
        root.put("train_seconds", seconds);
        root.put("train_tokens", tokens);
        root.setAll(fingerprint);
        root.set("log", log);
        root.set("evaluations", evaluations);
        return root;
    }

    void write(Path folder, int stepsPerEpoch) throws IOException {
        Files.writeString(folder.resolve(FILE), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(toJson(stepsPerEpoch)) + "\n");
    }

    /**
     * Reads a checkpoint's state, which must have been made with the same fingerprint.
     *
     * @throws LsgException naming the first setting that differs
     */
    static TrainingState read(Path folder, ObjectNode fingerprint, int stepsPerEpoch) {
        Path file = folder.resolve(FILE);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new LsgException(file + ": cannot read the training state: " + e.getMessage());
        }
        if (root == null || root.path("format").asInt() != FORMAT) {
            throw new LsgException(file + ": not a training state lsg4j wrote (format " + FORMAT + ")");
        }
        String diff = difference(fingerprint, root, "");
        if (diff != null) {
            throw new LsgException("--resume: " + file + " was made " + diff
                    + "; resume with the same settings and data, or train into a new --output");
        }
        if (root.path("steps_per_epoch").asInt() != stepsPerEpoch) {
            throw new LsgException("--resume: " + file + " has " + root.path("steps_per_epoch").asInt()
                    + " steps per epoch, this run " + stepsPerEpoch);
        }
        TrainingState s = new TrainingState(fingerprint);
        s.step = root.path("step").asInt();
        s.seconds = root.path("train_seconds").asDouble();
        s.tokens = root.path("train_tokens").asLong();
        root.path("log").forEach(e -> s.log.add(e));
        root.path("evaluations").forEach(e -> s.evaluations.add(e));
        return s;
    }

    /** The first key of {@code expected} whose value {@code found} does not have, described; null when none. */
    private static String difference(JsonNode expected, JsonNode found, String path) {
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String d = difference(e.getValue(), found.path(e.getKey()), path.isEmpty() ? e.getKey()
                        : path + "." + e.getKey());
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return expected.equals(found) ? null
                : "with " + path + " = " + (found.isMissingNode() ? "(none)" : found) + ", this run has " + expected;
    }
}
