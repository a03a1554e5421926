package org.lsg4j.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.LsgException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the JSON files of a model folder, with one-line errors naming the file. */
final class JsonFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFiles() {
    }

    /** The JSON object in {@code file}. */
    static JsonNode readObject(Path file) {
        JsonNode node;
        try {
            node = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new LsgException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new LsgException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new LsgException(file + " must hold a JSON object");
        }
        return node;
    }

    /** The JSON object in {@code file}, or an empty object when the file does not exist. */
    static JsonNode readObjectIfPresent(Path file) {
        return Files.isRegularFile(file) ? readObject(file) : MAPPER.createObjectNode();
    }

    /** An integer field, or {@code fallback} when absent or not an integer. */
    static int intOr(JsonNode node, String field, int fallback) {
        JsonNode v = node.get(field);
        return v != null && v.canConvertToInt() && v.isIntegralNumber() ? v.intValue() : fallback;
    }

    /** Fails with a message naming {@code file} and {@code what} unless {@code ok}. */
    static void require(boolean ok, Path file, String what) {
        if (!ok) {
            throw error(file, what);
        }
    }

    /** The error for {@code what} in {@code file}. */
    static LsgException error(Path file, String what) {
        return new LsgException(file + ": " + what);
    }
}
