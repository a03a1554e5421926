package org.lsg4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The shared fixture models and the texts their pipeline cases were run on. */
final class Fixtures {
    static final Path SHARED = Path.of(System.getProperty("lsg.shared", "../shared"));
    static final Path PIPELINES = SHARED.resolve("fixtures/pipelines");
    static final Path LSG_ROBERTA = SHARED.resolve("fixtures/lsg-roberta");
    static final Path MLM = PIPELINES.resolve("mlm-norm-b16");
    static final Path CLASSIFIER = PIPELINES.resolve("text-cls-3labels-pooling-b32");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /**
     * The distinct texts of a model's pipeline cases for one task (strings, list items, and the
     * {@code text} of pair inputs), in file order: 30 to 7,500 characters.
     */
    static List<String> texts(Path model, String task) {
        Set<String> out = new LinkedHashSet<>();
        try (BufferedReader r = Files.newBufferedReader(model.resolve("pipeline_cases.jsonl"))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode c = JSON.readTree(line);
                if (!c.get("task").asText().equals(task)) {
                    continue;
                }
                JsonNode in = c.get("inputs");
                for (JsonNode item : in.isArray() ? in : List.of(in)) {
                    out.add(item.isObject() ? item.get("text").asText() : item.asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(out);
    }

    /**
     * A copy of an {@code lsg-roberta} fixture model (which has no tokenizer) with a byte-level
     * tokenizer small enough for its vocabulary: {@code <s>}=0, {@code <pad>}=1, {@code </s>}=2,
     * {@code <unk>}=3, one id per byte, {@code <mask>}, no merges (each byte is one token).
     */
    static Path withByteTokenizer(String fixture, Path dir) {
        try {
            Files.createDirectories(dir);
            for (String f : List.of("config.json", "model.safetensors")) {
                Files.copy(LSG_ROBERTA.resolve(fixture).resolve(f), dir.resolve(f));
            }
            Map<String, Integer> vocab = new LinkedHashMap<>();
            for (String special : List.of("<s>", "<pad>", "</s>", "<unk>")) {
                vocab.put(special, vocab.size());
            }
            int shifted = 0;
            for (int b = 0; b < 256; b++) {   // the GPT-2 byte alphabet
                boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
                vocab.put(String.valueOf((char) (printable ? b : 256 + shifted++)), vocab.size());
            }
            vocab.put("<mask>", vocab.size());
            Files.writeString(dir.resolve("vocab.json"), JSON.writeValueAsString(vocab));
            Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
