package org.lsg4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** The tokenizer.json files the differential tests compare on, each written into a folder of its own. */
final class TokenizerFiles {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Path SHARED = Path.of(System.getProperty("lsg.shared", "../shared"));
    /** The real WordPiece tokenizer.json of all-MiniLM-L6-v2, inside langchain4j's Maven artifact. */
    static final String MINILM = "/all-minilm-l6-v2-tokenizer.json";

    private TokenizerFiles() {
    }

    /** A classpath resource ({@code .gz} ones decompressed), read as a JSON object. */
    static ObjectNode resource(String name) {
        try (InputStream raw = TokenizerFiles.class.getResourceAsStream(name)) {
            if (raw == null) {
                throw new IllegalStateException("no resource " + name + " on the test classpath");
            }
            InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code json}, changed by {@code edit}, written as {@code dir/name/tokenizer.json}; the folder is returned. */
    static Path write(Path dir, String name, ObjectNode json, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode copy = json.deepCopy();
        edit.accept(copy);
        Path folder = Files.createDirectories(dir.resolve(name));
        MAPPER.writeValue(folder.resolve("tokenizer.json").toFile(), copy);
        return folder;
    }
}
