package org.lsg4j.io;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.lsg4j.LsgException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON parser for input lsg4j did not write (model folders, JSON lines, requests):
 * exactly one document (trailing content such as a second object is an error, where Jackson's
 * default stops reading after the first), no duplicate keys (which copy a parser would keep is
 * ambiguous), bytes that are valid UTF-8, nesting and token counts within {@link Limits}, and
 * one-line errors with the line and column that quote at most a short token. NaN and Infinity
 * are not JSON and are refused.
 */
public final class StrictJson {
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(Limits.JSON_DEPTH)
                            .maxTokenCount(Limits.JSON_TOKENS)
                            .build())
                    .errorReportConfiguration(ErrorReportConfiguration.builder()
                            .maxErrorTokenLength(LsgException.EXCERPT_CHARS)
                            .maxRawContentLength(0)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /**
     * Parses one JSON document from UTF-8 bytes.
     *
     * @param source names the input in messages (a file, {@code "line 3"}, {@code "the request body"})
     * @throws LsgException when the bytes are not valid UTF-8 or not exactly one JSON document
     */
    public static JsonNode parse(byte[] utf8, String source) {
        Utf8.requireValid(utf8, 0, utf8.length, source);
        // a Reader, not the bytes: given bytes, Jackson guesses UTF-16 or UTF-32 from zero bytes, and these files are UTF-8
        try (Reader in = new InputStreamReader(new ByteArrayInputStream(utf8), StandardCharsets.UTF_8)) {
            return present(MAPPER.readTree(in), source);
        } catch (JsonProcessingException e) {
            throw malformed(source, e, true);
        } catch (IOException e) {
            throw new LsgException(source + ": cannot read JSON (" + e.getMessage() + ")", e);
        }
    }

    /** Parses one JSON document from a string (see {@link #parse(byte[], String)}). */
    public static JsonNode parse(String text, String source) {
        try {
            return present(MAPPER.readTree(text), source);
        } catch (JsonProcessingException e) {
            throw malformed(source, e, true);
        }
    }

    /** Parses one JSON document from one line of text; errors give the column only. */
    public static JsonNode parseLine(String line, String source) {
        try {
            return present(MAPPER.readTree(line), source);
        } catch (JsonProcessingException e) {
            throw malformed(source, e, false);
        }
    }

    /** How a JSON value reads in a message: its type and a short excerpt of it. */
    public static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        String type = switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
        if (v.isNull()) {
            return type;
        }
        if (v.isContainerNode()) {
            StringBuilder out = new StringBuilder();
            appendShort(v, out);
            int n = LsgException.EXCERPT_CHARS;
            return type + " " + (out.length() <= n ? LsgException.excerpt(out) : LsgException.excerpt(out.substring(0, n)) + "...");
        }
        return type + " " + LsgException.excerpt(v.isTextual() ? "\"" + v.textValue() + "\"" : v.toString());
    }

    /** The start of a container's JSON, without serialising all of a large one. */
    private static void appendShort(JsonNode v, StringBuilder out) {
        if (out.length() > LsgException.EXCERPT_CHARS) {
            return;
        }
        if (v.isArray()) {
            out.append('[');
            for (int i = 0; i < v.size() && out.length() <= LsgException.EXCERPT_CHARS; i++) {
                out.append(i == 0 ? "" : ",");
                appendShort(v.get(i), out);
            }
            out.append(']');
        } else if (v.isObject()) {
            out.append('{');
            boolean first = true;
            for (var e : v.properties()) {
                if (out.length() > LsgException.EXCERPT_CHARS) {
                    break;
                }
                out.append(first ? "" : ",").append('"').append(e.getKey()).append("\":");
                first = false;
                appendShort(e.getValue(), out);
            }
            out.append('}');
        } else {
            String s = v.toString();
            out.append(s, 0, Math.min(s.length(), LsgException.EXCERPT_CHARS + 1));
        }
    }

    private static JsonNode present(JsonNode node, String source) {
        if (node == null || node.isMissingNode()) {
            throw new LsgException(source + ": expected a JSON document, found nothing");
        }
        return node;
    }

    private static LsgException malformed(String source, JsonProcessingException e, boolean lines) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? ""
                : lines ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : " at column " + at.getColumnNr();
        String message = e.getOriginalMessage();
        if (message != null && message.length() > 4 * LsgException.EXCERPT_CHARS) {
            message = message.substring(0, 4 * LsgException.EXCERPT_CHARS) + "...";
        }
        return new LsgException(source + ": malformed JSON" + where + ": " + message, e);
    }
}
