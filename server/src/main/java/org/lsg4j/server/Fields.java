package org.lsg4j.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads typed fields out of a request's JSON; every failure is a 422 whose message names the
 * field (with its path, {@code parameters.top_k}), what was expected and what was found.
 */
final class Fields {
    private final JsonNode node;
    private final String path;

    private Fields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The body, which must be a JSON object. */
    static Fields body(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.validation("the request body must be a JSON object, found " + kind(body));
        }
        return new Fields(body, "");
    }

    /** The same object, its fields named under {@code path} in messages ({@code inputs[2].}). */
    Fields prefixed(String prefix) {
        return new Fields(node, prefix);
    }

    /** A nested object, or an empty one when absent or null. */
    Fields object(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return new Fields(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), name(field) + ".");
        }
        if (!v.isObject()) {
            throw wrong(field, "an object", v);
        }
        return new Fields(v, name(field) + ".");
    }

    /** The raw value, or null when absent. */
    JsonNode raw(String field) {
        return node.get(field);
    }

    /** Whether the field is there (null counts as there). */
    boolean has(String field) {
        return node.has(field);
    }

    /** The full name of a field for messages: {@code `parameters.top_k`}. */
    String name(String field) {
        return path + field;
    }

    String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw ApiError.validation("`" + name(field) + "` is required");
        }
        if (!v.isTextual()) {
            throw wrong(field, "a string", v);
        }
        return v.textValue();
    }

    String string(String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : string(field);
    }

    boolean bool(String field, boolean fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw wrong(field, "true or false", v);
        }
        return v.booleanValue();
    }

    /** An integer in [min, max], or {@code fallback} when absent or null. */
    Integer integer(String field, Integer fallback, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrong(field, "an integer", v);
        }
        int i = v.intValue();
        if (i < min || i > max) {
            throw ApiError.validation("`" + name(field) + "` must be in [" + min + ", " + max + "], got " + i);
        }
        return i;
    }

    /** A list of strings, or {@code fallback} when absent or null. */
    List<String> strings(String field, List<String> fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isArray()) {
            throw wrong(field, "a list of strings", v);
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw ApiError.validation("`" + name(field) + "[" + i + "]` must be a string, found " + kind(v.get(i)));
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    ApiError wrong(String field, String expected, JsonNode found) {
        return ApiError.validation("`" + name(field) + "` must be " + expected + ", found " + kind(found));
    }

    /** How a JSON value reads in a message: its type, and a short excerpt. */
    static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        String type = v.isTextual() ? "a string" : v.isNumber() ? "a number" : v.isBoolean() ? "a boolean"
                : v.isArray() ? "a list" : v.isObject() ? "an object" : "null";
        if (v.isNull()) {
            return type;
        }
        String text = v.toString();
        return type + " " + (text.length() <= 40 ? text : text.substring(0, 40) + "...");
    }
}
