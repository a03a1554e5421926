package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.lsg4j.LsgException;
import org.lsg4j.io.InputFiles;
import org.lsg4j.io.Limits;
import org.lsg4j.io.StrictJson;

import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the JSON files of a model folder (bounded, strict: see {@link InputFiles}), with one-line errors naming the file. */
final class JsonFiles {
    private JsonFiles() {
    }

    /** The JSON object in {@code file}, at most {@code limit} bytes. */
    static JsonNode readObject(Path file, long limit) {
        return InputFiles.readJsonObject(file, limit, file.getFileName().toString());
    }

    /**
     * The JSON object in a small settings file, or an empty object when there is no such file (a
     * FIFO or folder of that name is an error, not an absent file).
     */
    static JsonNode readObjectIfPresent(Path file) {
        return Files.exists(file) ? readObject(file, Limits.CONFIG_BYTES) : JsonNodeFactory.instance.objectNode();
    }

    /** How a JSON value reads in a message: its type and a short excerpt. */
    static String kind(JsonNode node) {
        return StrictJson.kind(node);
    }

    /**
     * A token id read from a tokenizer file, which must be in [0, {@link Limits#VOCABULARY}): ids
     * size the tables the tokenizer allocates.
     */
    static int id(JsonNode node, Path file, String what) {
        return id(node, file, () -> what);
    }

    /**
     * {@link #id(JsonNode, Path, String)} with the description made only for the error: a
     * vocabulary reads tens of thousands of ids, and building a message for each was most of the
     * time a short command spends loading its tokenizer.
     */
    static int id(JsonNode node, Path file, java.util.function.Supplier<String> what) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0
                || node.intValue() >= Limits.VOCABULARY) {
            throw error(file, what.get() + " must be a token id in [0, " + Limits.VOCABULARY + "), found " + kind(node));
        }
        return node.intValue();
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
