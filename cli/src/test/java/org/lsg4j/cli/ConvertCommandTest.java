package org.lsg4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.io.Checkpoint;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.tensor.FloatTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lsg convert} end to end: a plain BERT checkpoint becomes an LSG one that fill-mask and
 * classify run on beyond the source's length; bad requests are one line, exit 2, nothing written.
 */
class ConvertCommandTest {
    private static final Path FAMILIES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures", "lsg-families");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aConvertedMaskedLmFillsMasksPastTheSourceLength() {
        Path out = tmp.resolve("lsg-bert");
        ForwardCommandTest.Result r = ForwardCommandTest.lsg("convert", "--model",
                FAMILIES.resolve("convert-bert-mlm-512/input").toString(), "--output", out.toString(),
                "--max-length", "512", "--block-size", "32", "--num-global-tokens", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("LSGBertForMaskedLM, 512 tokens, block_size 32"), r.out());
        String longText = "word ".repeat(300) + "[MASK] .";   // past the source's 128 positions
        ForwardCommandTest.Result fill = ForwardCommandTest.lsg("fill-mask", "--model", out.toString(), "--top-k", "3",
                longText);
        assertEquals(0, fill.code(), fill.err());
        assertEquals(3, fill.out().split("\"score\"").length - 1, fill.out());
        ForwardCommandTest.Result info = ForwardCommandTest.lsg("info", "--model", out.toString(), "--length", "300");
        assertTrue(info.out().contains("LSG, padded to 320, 10 blocks of 32"), info.out());
    }

    @Test
    void aConvertedClassifierClassifies() throws IOException {
        Path plain = plainClassifier();
        Path out = tmp.resolve("lsg-bert-cls");
        ForwardCommandTest.Result r = ForwardCommandTest.lsg("convert", "--model", plain.toString(), "--output",
                out.toString(), "--max-length", "1024", "--block-size", "64", "--sparsity-type", "bos_pooling",
                "--sparsity-factor", "4");
        assertEquals(0, r.code(), r.err());
        ForwardCommandTest.Result c = ForwardCommandTest.lsg("classify", "--model", out.toString(), "--top-k", "all",
                "a long review " + "that goes on ".repeat(200));
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("\"label\":\"negative\"") && c.out().contains("\"label\":\"positive\""), c.out());
        ForwardCommandTest.Result plainTask = ForwardCommandTest.lsg("classify", "--model", plain.toString(), "hi");
        assertEquals(2, plainTask.code());
        assertTrue(plainTask.err().contains("plain checkpoint") && plainTask.err().contains("lsg convert"),
                plainTask.err());
    }

    /** The MLM fixture's encoder with a (random) pooler and classifier: a plain BertForSequenceClassification. */
    private Path plainClassifier() throws IOException {
        Path src = FAMILIES.resolve("convert-bert-mlm-512/input");
        Path dir = Files.createDirectories(tmp.resolve("plain-cls"));
        for (String f : new String[]{"vocab.txt", "tokenizer_config.json", "special_tokens_map.json"}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        ObjectNode config = (ObjectNode) JSON.readTree(src.resolve("config.json").toFile());
        config.putArray("architectures").add("BertForSequenceClassification");
        config.putObject("id2label").put("0", "negative").put("1", "positive");
        config.putObject("label2id").put("negative", 0).put("positive", 1);
        Files.writeString(dir.resolve("config.json"), config.toPrettyString());
        Map<String, Object> tensors = new LinkedHashMap<>();
        try (Checkpoint c = Checkpoint.open(src)) {
            for (String k : c.keys()) {
                if (k.startsWith("bert.")) {
                    tensors.put(k, c.get(k));
                }
            }
        }
        SplittableRandom random = new SplittableRandom(5);
        tensors.put("bert.pooler.dense.weight", random(random, 32, 32));
        tensors.put("bert.pooler.dense.bias", random(random, 32));
        tensors.put("classifier.weight", random(random, 2, 32));
        tensors.put("classifier.bias", random(random, 2));
        SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return dir;
    }

    private static FloatTensor random(SplittableRandom random, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.1 * random.nextGaussian());
        }
        return new FloatTensor(shape, v);
    }

    @Test
    void badRequestsAreOneLineAndWriteNothing() {
        String in = FAMILIES.resolve("convert-bert-mlm-512/input").toString();
        String[][] cases = {
            {"--max-length", "64"},
            {"--max-length", "1000"},
            {"--max-length", "512", "--block-size", "32", "--sparsity-factor", "3"},
            {"--max-length", "512", "--config", "blocksize=32"},
        };
        for (String[] extra : cases) {
            Path out = tmp.resolve("never");
            String[] base = {"convert", "--model", in, "--output", out.toString()};
            String[] args = new String[base.length + extra.length];
            System.arraycopy(base, 0, args, 0, base.length);
            System.arraycopy(extra, 0, args, base.length, extra.length);
            ForwardCommandTest.Result r = ForwardCommandTest.lsg(args);
            assertEquals(2, r.code(), String.join(" ", extra) + ": " + r.err());
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("lsg: error:")).count(), r.err());
            assertFalse(Files.exists(out), String.join(" ", extra));
        }
    }
}
