package org.lsg4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.io.FileTrees;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.Parameters;
import org.lsg4j.model.TrainableModel;
import org.lsg4j.tensor.Tensor;
import org.lsg4j.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fine-tunes a model folder on JSON lines, as Hugging Face's Trainer with its example scripts
 * would: the examples are tokenized ({@link Features}), grouped by length into batches
 * ({@link Batches}), and each optimizer step runs {@code gradAccum} forward and backward passes in
 * training mode (hidden dropout), clips the gradients, and updates with AdamW on a linear warm-up
 * and decay schedule. A checkpoint whose head is missing gets it newly initialized, as
 * {@code AutoModelFor<Head>.from_pretrained} does.
 *
 * <p>The output folder receives {@code checkpoint-<step>} folders (every {@code saveEvery} steps
 * and at the end; each written beside and renamed into place, so a folder that exists is
 * complete) and, at the end, the trained model itself (see {@link ModelFolder}) with its
 * {@code metrics.json} and a model card. {@link Builder#resume} continues from the latest
 * checkpoint, after an interruption of any kind, to exactly the weights an uninterrupted run
 * ends with: the data order, dropout and masks are functions of the seed and the step, and the
 * optimizer state is saved whole.
 *
 * <p>A trainer is a description of a run; {@link #run} may be called once per output folder.
 */
public final class Trainer {
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d+)");
    private static final String OPTIMIZER_FILE = "optimizer.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path model;
    private final String modelName;
    private final Path trainFile;
    private final Path evalFile;
    private final Path output;
    private final TrainingSettings settings;
    private final int saveEvery;
    private final int evalEvery;
    private final int keepCheckpoints;
    private final boolean recompute;
    private final boolean resume;

    private Trainer(Builder b) {
        this.model = b.model;
        this.modelName = b.modelName != null ? b.modelName : b.model.toString();
        this.trainFile = b.trainFile;
        this.evalFile = b.evalFile;
        this.output = b.output;
        this.settings = new TrainingSettings(b.task, b.epochs, b.maxSteps, b.learningRate, b.batchSize, b.gradAccum,
                b.warmupSteps, b.warmupRatio, b.weightDecay, b.maxGradNorm, b.maxLength, b.seed, b.trainable,
                b.config, b.labelAllTokens, b.docStride);
        this.saveEvery = b.saveEvery;
        this.evalEvery = b.evalEvery;
        this.keepCheckpoints = b.keepCheckpoints;
        this.recompute = b.recompute;
        this.resume = b.resume;
        if (saveEvery < 0 || evalEvery < 0 || keepCheckpoints < 1) {
            throw new LsgException("--save-every and --eval-every must be >= 0, --keep-checkpoints >= 1");
        }
    }

    /**
     * A run of {@code task} on the model folder {@code model} (a Hub id is resolved to its folder
     * by the caller) with the examples of {@code trainFile}, into {@code output}.
     */
    public static Builder builder(Path model, Task task, Path trainFile, Path output) {
        return new Builder(model, task, trainFile, output);
    }

    public TrainingSettings settings() {
        return settings;
    }

    /**
     * What a run did.
     *
     * @param metrics the last evaluation's metrics (empty without evaluation examples)
     * @param modelingFileMissing the modeling file Python needs, when the source had none to copy; else null
     */
    public record Result(Path output, int steps, double seconds, long tokens, Map<String, Double> metrics,
                         String modelingFileMissing) {
    }

    /**
     * Trains, writing checkpoints and the final model into the output folder.
     *
     * @param workers  the threads the kernels run on
     * @param listener receives the run's progress, metrics and notices
     * @throws LsgException for bad data, settings or folders (nothing half-written is left behind)
     */
    public Result run(Workers workers, TrainingListener listener) {
        Path latest = prepareOutput(listener);
        Task task = settings.task();
        List<Example> train = Example.read(trainFile, task);
        List<Example> eval = evalFile == null ? null : Example.read(evalFile, task);
        ObjectNode fingerprint = TrainingState.fingerprint(settings, sha256(trainFile),
                evalFile == null ? null : sha256(evalFile));

        Path loadDir = latest != null ? latest : model;
        LsgConfig config = LsgConfig.load(loadDir.resolve("config.json"), settings.config());
        boolean headExists = config.architecture().head() == task.head();
        LabelSet labels = labels(config, headExists, train);
        Map<String, String> overrides = overrides(headExists, labels);
        TrainableModel m = TrainableModel.forTraining(loadDir, task.head(), overrides, settings.trainable(),
                settings.seed());
        checkTrainableNames(m);
        m.model().warnings().forEach(listener::message);
        if (!m.initialized().isEmpty()) {
            if (latest != null) {
                throw new LsgException(latest + ": the checkpoint lacks " + m.initialized() + "; it is not one lsg4j wrote");
            }
            listener.message("Some weights of " + m.model().architecture() + " were not initialized from the model"
                    + " checkpoint at " + modelName + " and are newly initialized: " + m.initialized().stream()
                    .map(k -> "'" + k + "'").collect(java.util.stream.Collectors.joining(", ", "[", "]"))
                    + "; they are trained with the rest.");
        }
        long trainableCount = m.parameters().all().stream().filter(Parameters.Param::trainable)
                .mapToLong(p -> p.value().length).sum();
        if (trainableCount == 0) {
            throw new LsgException("--trainable " + settings.trainable() + " matches no parameter of " + modelName);
        }
        long parameterCount = m.parameters().all().stream().mapToLong(p -> p.value().length).sum();

        Tokenizer tokenizer = Tokenizer.load(loadDir);
        int maxLength = maxLength(config, tokenizer);
        if (task == Task.MASKED_LM && tokenizer.maskId().isEmpty()) {
            throw new LsgException(loadDir + ": the tokenizer has no mask token, which masked-LM training needs");
        }
        Features featurizer = new Features(task, tokenizer, labels, maxLength, settings.docStride(maxLength),
                settings.labelAllTokens());
        List<Feature> features = featurizer.of(train, trainFile.toString());
        Batches batches = new Batches(task, tokenizer, config.typeVocabSize() > 0, settings.seed());
        Evaluator evaluator = eval == null ? null : new Evaluator(task, tokenizer, labels, eval,
                featurizer.of(eval, evalFile.toString()), batches, settings.batchSize(), maxLength, settings.docStride(maxLength));

        int batchesPerEpoch = (features.size() + settings.batchSize() - 1) / settings.batchSize();
        int stepsPerEpoch = (batchesPerEpoch + settings.gradAccum() - 1) / settings.gradAccum();
        int total = settings.maxSteps() > 0 ? settings.maxSteps() : settings.epochs() * stepsPerEpoch;
        Optimizer optimizer = new Optimizer(m, new AdamW.Settings(0.9, 0.999, 1e-8,
                settings.weightDecay()), new LinearSchedule(settings.learningRate(), settings.warmup(total), total),
                settings.maxGradNorm());
        TrainingState state;
        if (latest != null) {
            state = TrainingState.read(latest, fingerprint, stepsPerEpoch);
            optimizer.adamw().restore(readAll(latest.resolve(OPTIMIZER_FILE)), m.parameters(),
                    latest.resolve(OPTIMIZER_FILE).toString());
            optimizer.resumeAt(state.step);
        } else {
            state = new TrainingState(fingerprint);
        }
        listener.started(new TrainingListener.Plan(state.step + 1, total, stepsPerEpoch, train.size(), features.size(),
                eval == null ? 0 : eval.size(), trainableCount, parameterCount, maxLength));

        boolean dropout = config.hiddenDropoutProb() > 0;
        Map<String, Double> lastMetrics = lastEvaluation(state);
        int epochLoaded = -1;
        List<int[]> epochBatches = List.of();
        for (int step = state.step + 1; step <= total; step++) {
            int epoch = (step - 1) / stepsPerEpoch;
            if (epoch != epochLoaded) {
                epochBatches = batches.epoch(features, settings.batchSize(), epoch);
                epochLoaded = epoch;
            }
            int from = (step - 1) % stepsPerEpoch * settings.gradAccum();
            int to = Math.min(epochBatches.size(), from + settings.gradAccum());
            List<ModelInputs> micro = new ArrayList<>();
            long tokens = 0;
            for (int[] batch : epochBatches.subList(from, to)) {
                micro.add(batches.inputs(features, batch, epoch));
                for (int i : batch) {
                    tokens += features.get(i).tokens();
                }
            }
            long start = System.nanoTime();
            Optimizer.Step s = optimizer.step(micro, workers,
                    new TrainableModel.Mode(dropout, Batches.mix(settings.seed(), step), recompute));
            double seconds = (System.nanoTime() - start) / 1e9;
            state.step = step;
            state.seconds += seconds;
            state.tokens += tokens;
            TrainingListener.Step report = new TrainingListener.Step(step, total, (double) step / stepsPerEpoch,
                    s.loss(), s.lr(), s.gradNorm(), tokens, seconds);
            state.recordStep(report);
            listener.stepped(report);
            boolean last = step == total;
            if (evaluator != null && (last || (evalEvery > 0 ? step % evalEvery == 0 : step % stepsPerEpoch == 0))) {
                lastMetrics = evaluator.run(m.model(), workers);
                state.recordEvaluation(step, report.epoch(), lastMetrics);
                listener.evaluated(step, report.epoch(), lastMetrics);
            }
            if (last || saveEvery > 0 && step % saveEvery == 0) {
                // the newest checkpoint holds everything the next folders copy (older ones may be pruned)
                loadDir = saveCheckpoint(step, loadDir, overrides, m, optimizer, state, stepsPerEpoch);
                listener.saved(step, loadDir);
            }
        }
        ObjectNode metrics = metricsJson(state, stepsPerEpoch, lastMetrics);
        String card = ModelCard.render(modelName, output, m, settings, labels, total, train.size(),
                eval == null ? 0 : eval.size(), maxLength, trainableCount, parameterCount, state, lastMetrics);
        String missing = publish(loadDir, overrides, m, new ModelFolder.Extras(card, metrics));
        if (missing != null) {
            listener.message("Python loads " + output + " with trust_remote_code once " + missing + " is in it: copy it"
                    + " from the source model's repository (or lsg_converter/" + config.family().modelType()
                    + "/ of ccdv-ai/convert_checkpoint_to_lsg); lsg4j does not ship it and " + model + " has none");
        }
        return new Result(output, state.step, state.seconds, state.tokens, lastMetrics, missing);
    }

    /**
     * Refuses a part of a {@code --trainable} list that names no parameter: new weights always
     * learn, so a misspelt name would otherwise silently train the new head alone.
     */
    private void checkTrainableNames(TrainableModel m) {
        for (String p : settings.trainable().split(",")) {
            String part = p.strip();
            if (part.isEmpty() || part.equals("all") || part.equals("head") || part.equals("global")) {
                continue;
            }
            if (m.parameters().all().stream().noneMatch(q -> q.name().contains(part))) {
                throw new LsgException("--trainable " + part + ": no parameter of " + modelName + " has it in its name"
                        + " (names look like " + m.parameters().all().iterator().next().name() + ")");
            }
        }
    }

    /** The labels of the task: the checkpoint's when it has the head, else the training data's. */
    private LabelSet labels(LsgConfig config, boolean headExists, List<Example> train) {
        Task task = settings.task();
        if (task == Task.REGRESSION && headExists && config.numLabels() != 1) {
            throw new LsgException(model + ": regression needs a head with 1 label, the checkpoint's has "
                    + config.numLabels() + " (" + config.id2label() + ")");
        }
        if (!task.hasLabelNames()) {
            return null;
        }
        return headExists ? new LabelSet(config.id2label()) : LabelSet.of(train);
    }

    /** The settings' config overrides, plus a new head's labels and the task's problem_type. */
    private Map<String, String> overrides(boolean headExists, LabelSet labels) {
        Map<String, String> o = new LinkedHashMap<>(settings.config());
        Task task = settings.task();
        try {
            if (!headExists && labels != null) {
                o.put("id2label", JSON.writeValueAsString(labels.id2label()));
                o.put("label2id", JSON.writeValueAsString(labels.label2id()));
            } else if (!headExists && (task == Task.REGRESSION || task == Task.QUESTION_ANSWERING)) {
                LabelSet generic = new LabelSet(task == Task.REGRESSION ? List.of("LABEL_0") : List.of("LABEL_0", "LABEL_1"));
                o.put("id2label", JSON.writeValueAsString(generic.id2label()));
                o.put("label2id", JSON.writeValueAsString(generic.label2id()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("labels always serialise", e);
        }
        if (task.problemType() != null) {
            o.put("problem_type", task.problemType());
        }
        return o;
    }

    private int maxLength(LsgConfig config, Tokenizer tokenizer) {
        int most = Math.min(config.maxTokens(), tokenizer.modelMaxLength());
        if (settings.maxLength() > most) {
            throw new LsgException("--max-length " + settings.maxLength() + " is more than " + modelName + " takes ("
                    + most + " tokens)");
        }
        return settings.maxLength() > 0 ? settings.maxLength() : most;
    }

    /**
     * Makes the output folder, or finds the checkpoint to resume from: null for a fresh start.
     * Leftovers of an interrupted write (temporary folders) are removed.
     */
    private Path prepareOutput(TrainingListener listener) {
        try {
            if (Files.isRegularFile(output)) {
                throw new LsgException(output + " is a file; --output must be a folder");
            }
            List<Path> entries = new ArrayList<>();
            if (!Files.isDirectory(output)) {
                // made by the first write, so that bad input leaves no empty folder behind
                if (resume) {
                    listener.message("no checkpoint in " + output + " yet: training from the start");
                }
                return null;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(output)) {
                for (Path p : ds) {
                    if (p.getFileName().toString().startsWith(".lsg-train-")) {
                        FileTrees.deleteTree(p);
                    } else {
                        entries.add(p);
                    }
                }
            }
            Path latest = checkpoints().stream().reduce((a, b) -> b).orElse(null);
            if (!resume && !entries.isEmpty()) {
                throw new LsgException(output + " already exists and is not empty; add --resume to continue the run"
                        + " saved there, or choose a new --output");
            }
            if (resume && latest == null) {
                if (!entries.isEmpty()) {
                    throw new LsgException("--resume: " + output + " holds no checkpoint-<step> folder to resume from");
                }
                listener.message("no checkpoint in " + output + " yet: training from the start");
            }
            return latest;
        } catch (IOException e) {
            throw new LsgException(output + ": cannot prepare the output folder: " + e.getMessage(), e);
        }
    }

    /** The complete checkpoints of the output folder, oldest first. */
    private List<Path> checkpoints() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(output)) {
            for (Path p : ds) {
                if (CHECKPOINT.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparingInt(Trainer::stepOf));
        return out;
    }

    private static int stepOf(Path checkpoint) {
        Matcher mt = CHECKPOINT.matcher(checkpoint.getFileName().toString());
        return mt.matches() ? Integer.parseInt(mt.group(1)) : -1;
    }

    /** Writes checkpoint-step beside, renames it into place, and keeps the newest {@code keepCheckpoints}. */
    private Path saveCheckpoint(int step, Path loadDir, Map<String, String> overrides, TrainableModel m,
                                Optimizer optimizer, TrainingState state, int stepsPerEpoch) {
        Path target = output.resolve("checkpoint-" + step);
        Path temp = tempFolder("checkpoint-" + step);
        try {
            ModelFolder.write(temp, loadDir, overrides, m, new ModelFolder.Extras(null, null));
            SafeTensors.write(temp.resolve(OPTIMIZER_FILE), optimizer.adamw().state(m.parameters()),
                    Map.of("format", "pt"));
            state.write(temp, stepsPerEpoch);
            if (Files.exists(target)) {
                FileTrees.deleteTree(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            List<Path> all = checkpoints();
            for (int i = 0; i < all.size() - keepCheckpoints; i++) {
                FileTrees.deleteTree(all.get(i));
            }
            return target;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new LsgException(target + ": cannot write the checkpoint: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * Writes the trained model beside, then moves its files into the output folder, config.json
     * last: until then the folder is not a model, and afterwards it is a whole one.
     */
    private String publish(Path loadDir, Map<String, String> overrides, TrainableModel m, ModelFolder.Extras extras) {
        Path temp = tempFolder("final");
        try {
            String missing = ModelFolder.write(temp, loadDir, overrides, m, extras);
            Files.deleteIfExists(output.resolve("config.json"));
            List<Path> files;
            try (Stream<Path> s = Files.list(temp)) {
                files = s.sorted(Comparator.comparing(p -> p.getFileName().toString().equals("config.json"))).toList();
            }
            for (Path f : files) {
                Files.move(f, output.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            Files.delete(temp);
            return missing;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new LsgException(output + ": cannot write the trained model: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private Path tempFolder(String what) {
        try {
            Files.createDirectories(output);
            return Files.createDirectory(output.resolve(".lsg-train-" + what + "-" + ProcessHandle.current().pid()
                    + "-" + System.nanoTime()));
        } catch (IOException e) {
            throw new LsgException(output + ": cannot write there: " + e.getMessage(), e);
        }
    }

    /** metrics.json: the run's totals, the last evaluation, every evaluation and every step's loss. */
    private ObjectNode metricsJson(TrainingState state, int stepsPerEpoch, Map<String, Double> last) {
        ObjectNode root = JSON.createObjectNode();
        root.put("task", settings.task().cliName());
        root.put("model", modelName);
        root.put("steps", state.step);
        root.put("epochs", (double) state.step / stepsPerEpoch);
        root.put("train_seconds", state.seconds);
        root.put("train_tokens", state.tokens);
        root.put("train_tokens_per_second", state.seconds > 0 ? state.tokens / state.seconds : 0);
        ObjectNode finalMetrics = root.putObject("eval");
        last.forEach(finalMetrics::put);
        root.set("evaluations", state.evaluations);
        root.set("log", state.log);
        return root;
    }

    /** The metrics of the state's last evaluation (a resumed run that evaluates no more reports them). */
    private static Map<String, Double> lastEvaluation(TrainingState state) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (!state.evaluations.isEmpty()) {
            state.evaluations.get(state.evaluations.size() - 1).properties().forEach(e -> {
                if (!e.getKey().equals("step") && !e.getKey().equals("epoch")) {
                    m.put(e.getKey(), e.getValue().asDouble());
                }
            });
        }
        return m;
    }

    private static Map<String, Tensor> readAll(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafeTensors st = SafeTensors.open(file)) {
            for (String name : st.names()) {
                out.put(name, st.info(name).dtype().isFloating() ? st.floats(name) : st.longs(name));
            }
        }
        return out;
    }

    private static String sha256(Path file) {
        try {
            return FileTrees.sha256(file);
        } catch (IOException e) {
            throw new LsgException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.deleteTree(dir);
        } catch (IOException ignored) {
            // best effort: a temporary folder, removed by the next run in this output at the latest
        }
    }

    /** The settings of a run; {@link TrainingSettings#defaults} where not given. */
    public static final class Builder {
        private final Path model;
        private final Task task;
        private final Path trainFile;
        private final Path output;
        private String modelName;
        private Path evalFile;
        private int epochs;
        private int maxSteps;
        private double learningRate;
        private int batchSize;
        private int gradAccum;
        private int warmupSteps;
        private double warmupRatio;
        private double weightDecay;
        private double maxGradNorm;
        private int maxLength;
        private long seed;
        private String trainable;
        private final Map<String, String> config = new LinkedHashMap<>();
        private boolean labelAllTokens;
        private int docStride;
        private int saveEvery = 100;
        private int evalEvery;
        private int keepCheckpoints = 2;
        private boolean recompute;
        private boolean resume;

        private Builder(Path model, Task task, Path trainFile, Path output) {
            this.model = model;
            this.task = task;
            this.trainFile = trainFile;
            this.output = output;
            TrainingSettings d = TrainingSettings.defaults(task);
            epochs = d.epochs();
            maxSteps = d.maxSteps();
            learningRate = d.learningRate();
            batchSize = d.batchSize();
            gradAccum = d.gradAccum();
            warmupSteps = d.warmupSteps();
            warmupRatio = d.warmupRatio();
            weightDecay = d.weightDecay();
            maxGradNorm = d.maxGradNorm();
            maxLength = d.maxLength();
            seed = d.seed();
            trainable = d.trainable();
            labelAllTokens = d.labelAllTokens();
            docStride = d.docStride();
        }

        /** How the model card and notices name the model (its Hub id); the folder by default. */
        public Builder modelName(String name) {
            this.modelName = name;
            return this;
        }

        /** Held-out examples, evaluated at the end of each epoch (or every {@link #evalEvery} steps) and at the end. */
        public Builder eval(Path file) {
            this.evalFile = file;
            return this;
        }

        public Builder epochs(int n) {
            this.epochs = n;
            return this;
        }

        /** Steps to run whatever the epochs (0: epochs decide). */
        public Builder maxSteps(int n) {
            this.maxSteps = n;
            return this;
        }

        public Builder learningRate(double lr) {
            this.learningRate = lr;
            return this;
        }

        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        public Builder gradAccum(int n) {
            this.gradAccum = n;
            return this;
        }

        /** Warm-up steps (replaces a ratio). */
        public Builder warmupSteps(int n) {
            this.warmupSteps = n;
            this.warmupRatio = 0;
            return this;
        }

        /** Warm-up as a fraction of the steps (replaces a step count). */
        public Builder warmupRatio(double r) {
            this.warmupRatio = r;
            this.warmupSteps = 0;
            return this;
        }

        public Builder weightDecay(double wd) {
            this.weightDecay = wd;
            return this;
        }

        public Builder maxGradNorm(double norm) {
            this.maxGradNorm = norm;
            return this;
        }

        /** Tokens per input (0: the most the model takes). */
        public Builder maxLength(int n) {
            this.maxLength = n;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** {@code all}, {@code head}, {@code global} (the model card's recipe) or parts of parameter names. */
        public Builder trainable(String spec) {
            this.trainable = spec;
            return this;
        }

        /** A config.json key to override (repeatable), as {@code --config KEY=VALUE}. */
        public Builder config(String key, String value) {
            this.config.put(key, value);
            return this;
        }

        /**
         * The model card's recipe: train the global embeddings and the head
         * ({@code trainable("global")}) with 16 global tokens pooled from global token 0
         * ({@code num_global_tokens=16}, {@code pool_with_global=true}).
         */
        public Builder cardRecipe() {
            return trainable("global").config("num_global_tokens", "16").config("pool_with_global", "true");
        }

        public Builder labelAllTokens(boolean all) {
            this.labelAllTokens = all;
            return this;
        }

        public Builder docStride(int tokens) {
            this.docStride = tokens;
            return this;
        }

        /** A checkpoint every n steps (0: only at the end). */
        public Builder saveEvery(int n) {
            this.saveEvery = n;
            return this;
        }

        /** An evaluation every n steps (0: at the end of each epoch). */
        public Builder evalEvery(int n) {
            this.evalEvery = n;
            return this;
        }

        /** How many of the newest checkpoints stay in the output folder. */
        public Builder keepCheckpoints(int n) {
            this.keepCheckpoints = n;
            return this;
        }

        /** Recompute each layer in the backward pass instead of keeping it: memory of one layer for about a third more compute. */
        public Builder recompute(boolean on) {
            this.recompute = on;
            return this;
        }

        /** Continue the run saved in the output folder from its latest checkpoint (or start it when there is none). */
        public Builder resume(boolean on) {
            this.resume = on;
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
