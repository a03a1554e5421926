package org.lsg4j.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The WordPiece and Unigram tokenizers of the tests, loaded once each: all-MiniLM-L6-v2's
 * tokenizer.json (inside langchain4j's Maven artifact) and the SentencePiece models of
 * {@code src/test/resources/tokenizers} (see make_unigram.py there), each written as the
 * tokenizer.json of a temporary folder.
 */
final class TestTokenizers {
    static final String MINILM = "all-minilm-l6-v2";
    static final String XLMR = "unigram-xlmr";
    static final String ALBERT = "unigram-albert";
    static final String BYTE_FALLBACK = "unigram-bytefallback";
    private static final Map<String, String> RESOURCES = Map.of(
            MINILM, "/all-minilm-l6-v2-tokenizer.json",
            XLMR, "/tokenizers/unigram-xlmr.json.gz",
            ALBERT, "/tokenizers/unigram-albert.json.gz",
            BYTE_FALLBACK, "/tokenizers/unigram-bytefallback.json");
    private static final Map<String, Tokenizer> LOADED = new HashMap<>();

    private TestTokenizers() {
    }

    static synchronized Tokenizer get(String name) {
        return LOADED.computeIfAbsent(name, n -> Tokenizer.load(folder(n)));
    }

    /** A new temporary folder holding the tokenizer.json of {@code name}. */
    static Path folder(String name) {
        String resource = RESOURCES.get(name);
        try (InputStream raw = TestTokenizers.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("no resource " + resource + " on the test classpath");
            }
            Path dir = Files.createTempDirectory("lsg4j-" + name);
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("tokenizer.json");
            Files.copy(resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw, file);
            file.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
