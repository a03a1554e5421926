package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.hub.HubEnvironment;
import org.lsg4j.io.SafeTensors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lsg train} end to end on the fixture models: every task trains, evaluates and writes a
 * model folder that the pipeline commands load and that gives the evaluated model's outputs; a run
 * killed with SIGKILL and resumed ends with the weights of an uninterrupted run, bit for bit;
 * bad input is one line and exit code 2, with nothing written.
 */
class TrainCommandTest {
    /** Real RoBERTa BPE tokenizer, 3 labels (negative, neutral, positive), 4,096 positions. */
    private static final String CLS3 = CliRun.model("text-cls-3labels-pooling-b32");
    private static final String MLM = CliRun.model("mlm-norm-b16");
    private static final String[] GOOD = {"wonderful", "great", "excellent", "lovely", "superb"};
    private static final String[] BAD = {"awful", "terrible", "boring", "dreadful", "horrible"};

    @TempDir
    Path tmp;

    /** Reviews whose label is the word they contain: learnable in a few steps. */
    private Path reviews(String name, int n, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean good = r.nextBoolean();
            String w = (good ? GOOD : BAD)[r.nextInt(GOOD.length)];
            lines.add(CliRun.JSON.createObjectNode().put("text", "The film was " + w + ", truly " + w + ".")
                    .put("label", good ? "positive" : "negative").toString());
        }
        return Files.write(tmp.resolve(name), lines);
    }

    private static CliRun train(String... args) {
        String[] all = Stream.concat(Stream.of("train", "--threads", "2"), Arrays.stream(args)).toArray(String[]::new);
        return CliRun.run(all);
    }

    private static JsonNode metrics(Path out) throws IOException {
        return CliRun.JSON.readTree(out.resolve("metrics.json").toFile());
    }

    @Test
    void seqClassificationTrainsAndClassifyGivesTheEvaluatedModel() throws Exception {
        Path trainFile = reviews("train.jsonl", 48, 1);
        Path evalFile = reviews("eval.jsonl", 16, 2);
        Path out = tmp.resolve("cls");
        CliRun r = train("--model", CLS3, "--task", "seq-classification", "--train", trainFile.toString(),
                "--eval", evalFile.toString(), "--output", out.toString(), "--epochs", "4", "--batch-size", "8",
                "--lr", "3e-4", "--save-every", "0").expectExit(0);
        assertTrue(r.err().contains("lsg: eval at step 6 (epoch 1.00): loss"), r.err());
        assertTrue(r.err().contains("lsg: eval at step 24 (epoch 4.00): loss"), r.err());
        for (String f : new String[] {"config.json", "model.safetensors", "vocab.json", "merges.txt", "README.md",
                "checkpoint-24"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        JsonNode m = metrics(out);
        assertEquals(24, m.get("steps").asInt());
        assertEquals(4, m.get("evaluations").size());
        assertEquals(24, m.get("log").size());
        JsonNode eval = m.get("eval");
        // it learns: the held-out loss falls from evaluation to evaluation (the fixture's random weights, drawn
        // with a standard deviation of 0.3, learn slowly: see the demonstration for accuracy)
        for (int i = 1; i < 4; i++) {
            assertTrue(m.get("evaluations").get(i).get("loss").asDouble()
                    < m.get("evaluations").get(i - 1).get("loss").asDouble(), m.toString());
        }

        // lsg classify on the output folder reproduces the trainer's evaluation: same accuracy, same loss
        List<JsonNode> gold = new ArrayList<>();
        for (String line : Files.readAllLines(evalFile)) {
            gold.add(CliRun.JSON.readTree(line));
        }
        List<JsonNode> got = CliRun.run("classify", "--model", out.toString(), "--input", evalFile.toString(),
                "--top-k", "all").expectExit(0).json();
        assertEquals(gold.size(), got.size());
        int right = 0;
        double loss = 0;
        for (int i = 0; i < gold.size(); i++) {
            String label = gold.get(i).get("label").asText();
            right += got.get(i).get(0).get("label").asText().equals(label) ? 1 : 0;
            for (JsonNode s : got.get(i)) {
                if (s.get("label").asText().equals(label)) {
                    loss -= Math.log(s.get("score").asDouble());
                }
            }
        }
        assertEquals(eval.get("accuracy").asDouble(), (double) right / gold.size(), 1e-12);
        assertEquals(eval.get("loss").asDouble(), loss / gold.size(), 1e-5 + 1e-4 * eval.get("loss").asDouble());
        // the final model is the last checkpoint's, and it is not the source's
        assertSameWeights(out.resolve("model.safetensors"), out.resolve("checkpoint-24/model.safetensors"));
        assertFalse(sameWeights(out.resolve("model.safetensors"), Path.of(CLS3, "model.safetensors")));
        assertTrue(Files.readString(out.resolve("README.md")).contains("seq-classification"));
    }

    @Test
    void aTerminalGetsABarWithLossTokensPerSecondAndEta() throws Exception {
        Path data = reviews("train.jsonl", 8, 5);
        HubEnvironment hub = HubEnvironment.of(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent-home"));
        CliRun r = CliRun.withContext(new CliContext(hub, InputStream.nullInputStream(), true, CliRun.TEST_CACHE),
                "train", "--threads", "2", "--model", CLS3, "--task", "seq-classification", "--train", data.toString(),
                "--eval", data.toString(), "--output", tmp.resolve("bar").toString(), "--epochs", "1", "--batch-size",
                "2").expectExit(0);
        assertTrue(r.err().matches("(?s).*\\rstep 4/4 \\[#+\\] loss \\d+\\.\\d{4} \\| [\\d,]+ tokens/s \\| ETA 0s .*"), r.err());
        assertTrue(r.err().contains("\nlsg: eval at step 4 (epoch 1.00): loss "), r.err());   // the bar is ended first
    }

    @Test
    void aNewHeadTakesItsLabelsFromTheData() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add(CliRun.JSON.createObjectNode().put("text", i % 2 == 0 ? "a cat sat" : "a dog ran")
                    .put("label", i % 2 == 0 ? "cat" : "dog").toString());
        }
        Path data = Files.write(tmp.resolve("pets.jsonl"), lines);
        Path out = tmp.resolve("pets");
        CliRun r = train("--model", MLM, "--task", "seq-classification", "--train", data.toString(), "--eval",
                data.toString(), "--output", out.toString(), "--epochs", "2", "--batch-size", "4", "--lr", "1e-3")
                .expectExit(0);
        assertTrue(r.err().contains("newly initialized"), r.err());
        JsonNode config = CliRun.JSON.readTree(out.resolve("config.json").toFile());
        assertEquals("cat", config.get("id2label").get("0").asText());
        assertEquals("dog", config.get("id2label").get("1").asText());
        assertEquals("LSGRobertaForSequenceClassification", config.get("architectures").get(0).asText());
        String label = CliRun.run("classify", "--model", out.toString(), "a dog ran").expectExit(0).json().get(0)
                .get(0).get("label").asText();
        assertTrue(label.equals("cat") || label.equals("dog"), label);
    }

    @Test
    void regressionAndMultiLabel() throws Exception {
        List<String> reg = new ArrayList<>();
        List<String> multi = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            reg.add(CliRun.JSON.createObjectNode().put("text", "score " + "x".repeat(i)).put("label", i / 12.0).toString());
            var labels = CliRun.JSON.createArrayNode().add(i % 2 == 0 ? "even" : "odd");
            if (i % 3 == 0) {
                labels.add("three");
            }
            multi.add(CliRun.JSON.createObjectNode().put("text", "number " + i).set("label", labels).toString());
        }
        Path regFile = Files.write(tmp.resolve("reg.jsonl"), reg);
        Path out = tmp.resolve("reg");
        train("--model", CliRun.model("text-cls-1label-stride-b16"), "--task", "regression", "--train",
                regFile.toString(), "--eval", regFile.toString(), "--output", out.toString(), "--epochs", "2",
                "--batch-size", "4").expectExit(0);
        JsonNode eval = metrics(out).get("eval");
        // lsg classify with no function gives the values the evaluation scored
        List<JsonNode> got = CliRun.run("classify", "--model", out.toString(), "--input", regFile.toString(),
                "--function-to-apply", "none").expectExit(0).json();
        double se = 0;
        for (int i = 0; i < 12; i++) {
            double d = got.get(i).get(0).get("score").asDouble() - i / 12.0;
            se += d * d;
        }
        assertEquals(eval.get("mse").asDouble(), se / 12, 1e-6 + 1e-4 * eval.get("mse").asDouble());

        Path multiFile = Files.write(tmp.resolve("multi.jsonl"), multi);
        Path mout = tmp.resolve("multi");
        train("--model", MLM, "--task", "multi-label", "--train", multiFile.toString(), "--eval",
                multiFile.toString(), "--output", mout.toString(), "--epochs", "1", "--batch-size", "4").expectExit(0);
        JsonNode config = CliRun.JSON.readTree(mout.resolve("config.json").toFile());
        assertEquals("multi_label_classification", config.get("problem_type").asText());
        assertEquals(3, config.get("id2label").size());
        assertTrue(metrics(mout).get("eval").has("micro_f1"));
        assertEquals(3, CliRun.run("classify", "--model", mout.toString(), "--top-k", "all", "number 3").expectExit(0)
                .json().get(0).size());
    }

    @Test
    void tokenClassificationTagsWordsWithTheTrainedLabels() throws Exception {
        List<String> lines = new ArrayList<>();
        String[][] sentences = {{"Ada", "met", "Bob", "in", "Rome"}, {"Bob", "saw", "Ada"}, {"we", "like", "Rome"}};
        for (int i = 0; i < 12; i++) {
            String[] words = sentences[i % 3];
            var tokens = CliRun.JSON.createArrayNode();
            var tags = CliRun.JSON.createArrayNode();
            for (String w : words) {
                tokens.add(w);
                tags.add(w.equals("Rome") ? "B-LOC" : Character.isUpperCase(w.charAt(0)) ? "B-PER" : "O");
            }
            var node = CliRun.JSON.createObjectNode();
            node.set("tokens", tokens);
            node.set("tags", tags);
            lines.add(node.toString());
        }
        Path data = Files.write(tmp.resolve("ner.jsonl"), lines);
        Path out = tmp.resolve("ner");
        train("--model", MLM, "--task", "token-classification", "--train", data.toString(), "--eval", data.toString(),
                "--output", out.toString(), "--epochs", "6", "--batch-size", "4", "--lr", "3e-3").expectExit(0);
        JsonNode eval = metrics(out).get("eval");
        for (String k : new String[] {"loss", "precision", "recall", "f1", "accuracy"}) {
            assertTrue(eval.has(k), k + " in " + eval);
        }
        assertTrue(eval.get("accuracy").asDouble() > 0.6, eval.toString());
        JsonNode config = CliRun.JSON.readTree(out.resolve("config.json").toFile());
        List<String> names = new ArrayList<>();
        config.get("id2label").forEach(n -> names.add(n.asText()));
        assertEquals(List.of("B-LOC", "B-PER", "O"), names.stream().sorted().toList());
        List<JsonNode> ents = CliRun.run("token-classify", "--model", out.toString(), "--ignore-labels=",
                "Ada met Bob in Rome").expectExit(0).json();
        assertFalse(ents.get(0).isEmpty());
        for (JsonNode e : ents.get(0)) {
            assertTrue(names.contains(e.get("entity").asText()), e.toString());
        }
    }

    @Test
    void questionAnsweringAndMultipleChoiceOnTinyTaskFolders() throws Exception {
        String qaModel = TinyTaskFolders.create("stride-f4-qa", tmp.resolve("qa-model"));
        List<String> lines = new ArrayList<>();
        String[] names = {"Ada", "Bob", "Cy"};
        for (int i = 0; i < 9; i++) {
            String who = names[i % 3];
            String context = "It was " + who + " who won.";
            var answers = CliRun.JSON.createObjectNode();
            answers.set("text", CliRun.JSON.createArrayNode().add(who));
            answers.set("answer_start", CliRun.JSON.createArrayNode().add(context.indexOf(who)));
            var node = CliRun.JSON.createObjectNode().put("id", "q" + i).put("question", "Who won?").put("context", context);
            node.set("answers", answers);
            lines.add(node.toString());
        }
        Path data = Files.write(tmp.resolve("qa.jsonl"), lines);
        Path out = tmp.resolve("qa");
        train("--model", qaModel, "--task", "qa", "--train", data.toString(), "--eval", data.toString(), "--output",
                out.toString(), "--epochs", "2", "--batch-size", "3", "--lr", "1e-3").expectExit(0);
        JsonNode eval = metrics(out).get("eval");
        assertTrue(eval.has("exact_match") && eval.has("f1"), eval.toString());
        assertTrue(eval.get("f1").asDouble() >= 0 && eval.get("f1").asDouble() <= 100, eval.toString());
        JsonNode answer = CliRun.run("qa", "--model", out.toString(), "--question", "Who won?", "--context",
                "It was Bob who won.").expectExit(0).json().get(0);
        assertTrue(answer.has("answer") && answer.has("score"), answer.toString());

        String mcModel = TinyTaskFolders.create("block_stride-f2-mc", tmp.resolve("mc-model"));
        List<String> mc = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            var node = CliRun.JSON.createObjectNode().put("prompt", "Pick yes").put("label", i % 2);
            node.set("choices", CliRun.JSON.createArrayNode().add(i % 2 == 0 ? "yes" : "no").add(i % 2 == 0 ? "no" : "yes"));
            mc.add(node.toString());
        }
        Path mcData = Files.write(tmp.resolve("mc.jsonl"), mc);
        Path mcOut = tmp.resolve("mc");
        train("--model", mcModel, "--task", "multiple-choice", "--train", mcData.toString(), "--eval",
                mcData.toString(), "--output", mcOut.toString(), "--epochs", "1", "--batch-size", "2").expectExit(0);
        assertTrue(metrics(mcOut).get("eval").has("accuracy"));
        CliRun.run("multiple-choice", "--model", mcOut.toString(), "--prompt", "Pick yes", "--choice", "yes",
                "--choice", "no").expectExit(0);
    }

    @Test
    void maskedLmReportsPerplexityAndFillMaskLoadsIt() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(CliRun.JSON.createObjectNode().put("text", "Paris is the capital of France, number " + i + ".")
                    .toString());
        }
        Path data = Files.write(tmp.resolve("text.jsonl"), lines);
        Path out = tmp.resolve("mlm");
        train("--model", MLM, "--task", "mlm", "--train", data.toString(), "--eval", data.toString(), "--output",
                out.toString(), "--epochs", "1", "--batch-size", "5").expectExit(0);
        JsonNode eval = metrics(out).get("eval");
        assertEquals(Math.exp(eval.get("loss").asDouble()), eval.get("perplexity").asDouble(),
                1e-9 * eval.get("perplexity").asDouble());
        List<JsonNode> filled = CliRun.run("fill-mask", "--model", out.toString(), "--top-k", "2",
                "Paris is the <mask> of France.").expectExit(0).json();
        assertEquals(2, filled.get(0).size());
        assertFalse(sameWeights(out.resolve("model.safetensors"), Path.of(MLM, "model.safetensors")));
    }

    /**
     * A run killed with SIGKILL after its first checkpoint (at whatever point it then is, maybe
     * writing the next one) and resumed ends with the same weights, bit for bit, as a run that
     * was never interrupted, and the output folder holds no leftovers.
     */
    @Test
    void killedAndResumedEqualsUninterrupted() throws Exception {
        Path data = reviews("train.jsonl", 64, 3);
        // 64 steps with a checkpoint every 2: the run is still going when the poll sees the first one
        String[] common = {"--model", CLS3, "--task", "seq-classification", "--train", data.toString(), "--epochs", "8",
                "--batch-size", "4", "--grad-accum", "2", "--lr", "1e-3", "--warmup", "0.1", "--weight-decay", "0.01",
                "--save-every", "2", "--keep-checkpoints", "1"};
        Path whole = tmp.resolve("whole");
        train(concat(common, "--output", whole.toString())).expectExit(0);

        Path cut = tmp.resolve("cut");
        Path log = tmp.resolve("cut.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train", "--threads", "2"));
        command.addAll(List.of(concat(common, "--output", cut.toString())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("saved") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            p.destroyForcibly();   // SIGKILL: no shutdown hook, no cleanup
            p.waitFor();
        }
        String before = Files.readString(log);
        assertTrue(before.contains("saved"), before);
        assertFalse(before.contains("the model is in"), "the run finished before it was killed:\n" + before);
        assertFalse(Files.exists(cut.resolve("config.json")), "a killed run has no final model");

        CliRun resumed = train(concat(common, "--output", cut.toString(), "--resume")).expectExit(0);
        assertFalse(resumed.err().contains("steps 1 to"), resumed.err());
        assertSameWeights(whole.resolve("model.safetensors"), cut.resolve("model.safetensors"));
        JsonNode a = metrics(whole).get("log");
        JsonNode b = metrics(cut).get("log");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).get("loss").asDouble(), b.get(i).get("loss").asDouble(), 0, "step " + (i + 1));
        }
        try (Stream<Path> s = Files.list(cut)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().startsWith(".lsg-train-")));
        }
        // a finished run resumed again has nothing left to do and keeps its model
        train(concat(common, "--output", cut.toString(), "--resume")).expectExit(0);
        assertSameWeights(whole.resolve("model.safetensors"), cut.resolve("model.safetensors"));
        // resuming with other settings would not end where the run would have: refused
        train(concat(common, "--output", cut.toString(), "--resume", "--lr", "2e-3")).expectExit(2);
        assertSameWeights(whole.resolve("model.safetensors"), cut.resolve("model.safetensors"));
    }

    @Test
    void badInputIsOneLineExitTwoAndWritesNothing() throws Exception {
        Path data = reviews("train.jsonl", 4, 4);
        Path noLabel = Files.writeString(tmp.resolve("nolabel.jsonl"), "{\"text\": \"fine\", \"label\": \"positive\"}\n"
                + "{\"text\": \"no label here\"}\n");
        Path wrongLabel = Files.writeString(tmp.resolve("wrong.jsonl"), "{\"text\": \"fine\", \"label\": \"great\"}\n");
        Path out = tmp.resolve("never");
        String missingModel = tmp.resolve("no-such-model").toString();
        Object[][] cases = {
            // checked before the model is looked at: the model folder does not exist
            {new String[] {"--model", missingModel, "--task", "summarize", "--train", data.toString()}, "--task summarize"},
            {new String[] {"--model", missingModel, "--task", "seq-classification", "--train", tmp.resolve("none.jsonl")
                    .toString()}, "none.jsonl: file not found"},
            {new String[] {"--model", missingModel, "--task", "seq-classification", "--train", data.toString(), "--eval",
                    tmp.resolve("none.jsonl").toString()}, "none.jsonl: file not found"},
            // checked before the weights are read
            {new String[] {"--model", CLS3, "--task", "seq-classification", "--train", noLabel.toString()},
                    "nolabel.jsonl line 2: a label must be a name or an integer"},
            {new String[] {"--model", CLS3, "--task", "seq-classification", "--train", wrongLabel.toString()},
                    "label \"great\" is not one of the model's labels"},
            {new String[] {"--model", CLS3, "--task", "seq-classification", "--train", data.toString(), "--max-length",
                    "9000"}, "--max-length 9000"},
            {new String[] {"--model", CLS3, "--task", "seq-classification", "--train", data.toString(), "--warmup", "a"},
                    "--warmup a"},
            {new String[] {"--model", CLS3, "--task", "seq-classification", "--train", data.toString(), "--recipe", "x"},
                    "--recipe x"},
            // need the parameter names
            {new String[] {"--model", CLS3, "--task", "seq-classification", "--train", data.toString(), "--trainable",
                    "no_such_weight"}, "--trainable no_such_weight"},
            {new String[] {"--model", MLM, "--task", "seq-classification", "--train", data.toString(), "--trainable",
                    "classifier,globl_embeddings"}, "--trainable globl_embeddings"},
            {new String[] {"--model", CLS3, "--task", "seq-classification", "--train", data.toString(), "--trainable",
                    "all,classifier"}, "all cannot be combined"},
        };
        for (Object[] c : cases) {
            CliRun r = train(concat((String[]) c[0], "--output", out.toString())).expectExit(2)
                    .errContains((String) c[1]);
            List<String> lines = r.err().lines().filter(l -> !l.startsWith("WARNING")).toList();
            assertEquals(1, lines.size(), String.join("\n", lines));
            assertTrue(lines.get(0).startsWith("lsg: error: "), lines.get(0));
            assertFalse(Files.exists(out), "bad input left " + out + " behind: " + Arrays.toString((String[]) c[0]));
        }
        // an output folder holding something else is refused, not mixed into
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        train("--model", CLS3, "--task", "seq-classification", "--train", data.toString(), "--output", out.toString())
                .expectExit(2).errContains("already exists and is not empty");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("notes.txt"), s.map(f -> f.getFileName().toString()).toList());
        }
    }

    /** A tensor's values as raw bits (so that NaNs and signed zeros count). */
    private static long[] bits(SafeTensors st, String name) {
        if (!st.info(name).dtype().isFloating()) {
            return st.longs(name).data();
        }
        float[] v = st.floats(name).data();
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    private static boolean sameWeights(Path a, Path b) {
        try (SafeTensors x = SafeTensors.open(a); SafeTensors y = SafeTensors.open(b)) {
            if (!x.names().equals(y.names())) {
                return false;
            }
            for (String n : x.names()) {
                if (!Arrays.equals(bits(x, n), bits(y, n))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static void assertSameWeights(Path a, Path b) {
        try (SafeTensors x = SafeTensors.open(a); SafeTensors y = SafeTensors.open(b)) {
            assertEquals(x.names(), y.names());
            for (String n : x.names()) {
                assertTrue(Arrays.equals(bits(x, n), bits(y, n)), n + " differs between " + a + " and " + b);
            }
        }
    }
}
