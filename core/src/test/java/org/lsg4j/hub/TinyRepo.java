package org.lsg4j.hub;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Small model repositories for the tests. */
public final class TinyRepo {
    public static final String ID = "lsg-test/tiny-lsg";
    public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String OTHER_COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
    static final String CONFIG = "{\"model_type\": \"roberta\", \"hidden_size\": 16, \"num_hidden_layers\": 1}\n";

    private TinyRepo() {
    }

    /** config, three tokenizer files and a 200 kB model.safetensors stored in LFS, on branches main and v1. */
    public static FakeHub.Repo standard() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", utf8(CONFIG));
        files.put("vocab.json", utf8("{\"<s>\": 0, \"</s>\": 1, \"a\": 2}"));
        files.put("merges.txt", utf8("#version: 0.2\na b\n"));
        files.put("tokenizer_config.json", utf8("{\"model_max_length\": 4096}"));
        files.put("README.md", utf8("# tiny\n"));
        files.put("model.safetensors", bytes(200_000, 7));
        return new FakeHub.Repo(COMMIT, files, Set.of("model.safetensors"), Set.of("main", "v1"));
    }

    /** Weights split in two shards listed by model.safetensors.index.json; only branch main. */
    static FakeHub.Repo sharded() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", utf8(CONFIG));
        files.put("model.safetensors.index.json", utf8("{\"metadata\": {}, \"weight_map\": {"
                + "\"a.weight\": \"model-00001-of-00002.safetensors\","
                + "\"b.weight\": \"model-00002-of-00002.safetensors\","
                + "\"c.weight\": \"model-00002-of-00002.safetensors\"}}"));
        files.put("model-00001-of-00002.safetensors", bytes(3_000, 1));
        files.put("model-00002-of-00002.safetensors", bytes(4_000, 2));
        return new FakeHub.Repo(OTHER_COMMIT, files,
                Set.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"), Set.of("main"));
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
