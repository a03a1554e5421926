package org.lsg4j.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lsg4j.LsgException;

/**
 * The parsed and fully validated JSON header of a safetensors file: its metadata and its tensor
 * entries in header order. Every check that can be made without reading tensor data is made here,
 * with the safetensors library's rules: the header is UTF-8 JSON starting with {@code {}, followed
 * only by spaces; names are unique; each entry's byte range matches its dtype and shape; and the
 * ranges, sorted, are contiguous from 0 and cover the whole data section (no gap, no overlap, no
 * trailing bytes).
 *
 * <p>The header is read as a stream rather than as a tree, so that a 100 MB header of tiny
 * entries is refused at the {@link Limits#TENSORS}-th entry instead of being held in memory.
 */
record SafeTensorsHeader(Map<String, String> metadata, Map<String, TensorInfo> tensors) {

    /** Key of the optional string-to-string metadata entry. */
    static final String METADATA_KEY = "__metadata__";

    /** The most dimensions of a tensor [torch allows 64]. */
    private static final int MAX_DIMS = 64;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Limits.JSON_DEPTH).build())
            .build();

    SafeTensorsHeader {
        metadata = Map.copyOf(metadata);
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /**
     * Parses the header bytes of {@code file}.
     *
     * @param dataLength size in bytes of the data section that follows the header
     */
    static SafeTensorsHeader parse(Path file, byte[] headerBytes, long dataLength) {
        Utf8.requireValid(headerBytes, 0, headerBytes.length, file + ": safetensors header");
        if (headerBytes.length == 0 || headerBytes[0] != '{') {
            throw new LsgException(file + ": safetensors header must be a JSON object starting with '{', found "
                    + (headerBytes.length == 0 ? "an empty header" : LsgException.excerpt(
                            new String(headerBytes, 0, Math.min(headerBytes.length, 20), java.nio.charset.StandardCharsets.UTF_8))));
        }
        Map<String, String> metadata = Map.of();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        // a Reader, not the bytes: given bytes, Jackson guesses UTF-16 or UTF-32 from zero bytes, and the format is UTF-8
        try (JsonParser p = JSON.createParser(new InputStreamReader(new ByteArrayInputStream(headerBytes), StandardCharsets.UTF_8))) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(METADATA_KEY)) {
                    metadata = parseMetadata(file, p);
                } else {
                    if (tensors.size() == Limits.TENSORS) {
                        throw new LsgException(file + ": safetensors header lists more than " + Limits.TENSORS
                                + " tensors, the most lsg4j reads from one file");
                    }
                    tensors.put(name, parseEntry(file, name, p, dataLength));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new LsgException(file + ": safetensors header is not valid JSON (expected a tensor name, found "
                        + p.currentToken() + ")");
            }
            JsonToken after = p.nextToken();   // JSON whitespace (the writers pad with spaces) is skipped, as serde_json does
            if (after != null) {
                throw new LsgException(file + ": safetensors header has content after its JSON object (" + after
                        + " at character " + p.currentTokenLocation().getCharOffset() + "); only space padding may follow it");
            }
        } catch (JacksonException e) {
            throw new LsgException(file + ": safetensors header is not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new LsgException(file + ": cannot read the safetensors header (" + e.getMessage() + ")", e);
        }
        checkContiguous(file, tensors.values(), dataLength);
        return new SafeTensorsHeader(metadata, tensors);
    }

    private static Map<String, String> parseMetadata(Path file, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new LsgException(file + ": " + METADATA_KEY + " must be a JSON object of strings, found " + p.currentToken());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new LsgException(file + ": " + METADATA_KEY + " value '" + LsgException.excerpt(key)
                        + "' must be a string, found " + p.currentToken());
            }
            if (metadata.size() == Limits.TENSORS) {
                throw new LsgException(file + ": " + METADATA_KEY + " has more than " + Limits.TENSORS + " entries");
            }
            metadata.put(key, p.getText());
        }
        return metadata;
    }

    private static TensorInfo parseEntry(Path file, String name, JsonParser p, long dataLength) throws IOException {
        String where = file + ": tensor '" + LsgException.excerpt(name) + "'";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new LsgException(where + ": entry must be a JSON object, found " + p.currentToken());
        }
        DType dtype = null;
        int[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw new LsgException(where + ": dtype must be a string, found " + p.currentToken());
                    }
                    try {
                        dtype = DType.parse(p.getText());
                    } catch (LsgException e) {
                        throw new LsgException(where + ": " + e.getMessage(), e);
                    }
                }
                case "shape" -> shape = parseShape(where, p);
                case "data_offsets" -> offsets = parseOffsets(where, p);
                default -> p.skipChildren();   // the safetensors library ignores other fields too
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw new LsgException(where + ": entry has no '" + (dtype == null ? "dtype" : shape == null ? "shape"
                    : "data_offsets") + "'");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end > dataLength) {
            throw new LsgException(where + ": data_offsets end " + end + " is past the data section ("
                    + dataLength + " bytes)");
        }
        long expectedBytes = byteCount(where, shape, dtype);
        if (end - begin != expectedBytes) {
            throw new LsgException(where + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes, expected " + expectedBytes + " for " + dtype + Arrays.toString(shape));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static int[] parseShape(String where, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new LsgException(where + ": shape must be a JSON array, found " + p.currentToken());
        }
        int[] shape = new int[4];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == MAX_DIMS) {
                throw new LsgException(where + ": shape has more than " + MAX_DIMS + " dimensions");
            }
            long v = integer(p, where + ": shape[" + n + "] must be an integer");
            if (v < 0) {
                throw new LsgException(where + ": shape[" + n + "] is negative (" + v + ")");
            }
            if (v > Integer.MAX_VALUE) {
                throw new LsgException(where + ": shape[" + n + "] = " + v + " is larger than " + Integer.MAX_VALUE);
            }
            if (n == shape.length) {
                shape = Arrays.copyOf(shape, 2 * n);
            }
            shape[n++] = (int) v;
        }
        return Arrays.copyOf(shape, n);
    }

    private static long[] parseOffsets(String where, JsonParser p) throws IOException {
        String expected = where + ": data_offsets must be [begin, end], two non-negative integers";
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new LsgException(expected + ", found " + p.currentToken());
        }
        long[] offsets = new long[2];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == 2) {
                throw new LsgException(expected + ", found more than two values");
            }
            offsets[n] = integer(p, expected);
            if (offsets[n] < 0) {
                throw new LsgException(expected + ", found " + offsets[n]);
            }
            n++;
        }
        if (n != 2) {
            throw new LsgException(expected + ", found " + n + " value" + (n == 1 ? "" : "s"));
        }
        if (offsets[0] > offsets[1]) {
            throw new LsgException(where + ": data_offsets begin " + offsets[0] + " is after end " + offsets[1]);
        }
        return offsets;
    }

    /** The current token as a long, which it must be. */
    private static long integer(JsonParser p, String expected) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new LsgException(expected + ", found " + LsgException.excerpt(
                    p.currentToken().isScalarValue() ? p.getText() : p.currentToken().toString()));
        }
        return p.getLongValue();
    }

    private static long byteCount(String where, int[] shape, DType dtype) {
        try {
            long n = dtype.byteSize();
            for (int d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        } catch (ArithmeticException e) {
            throw new LsgException(where + ": shape " + Arrays.toString(shape) + " is too large", e);
        }
    }

    /**
     * The byte ranges, sorted, must follow one another from 0 to the end of the data section: a
     * gap or trailing bytes would hide data no tensor names, an overlap would give two tensors the
     * same bytes.
     */
    private static void checkContiguous(Path file, Iterable<TensorInfo> infos, long dataLength) {
        List<TensorInfo> sorted = new ArrayList<>();
        infos.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < expected) {
                throw new LsgException(file + ": tensor '" + LsgException.excerpt(t.name()) + "' data [" + t.begin() + ", "
                        + t.end() + ") overlaps tensor '" + LsgException.excerpt(previous.name()) + "' data ["
                        + previous.begin() + ", " + previous.end() + ")");
            }
            if (t.begin() > expected) {
                throw new LsgException(file + ": tensor '" + LsgException.excerpt(t.name()) + "' data starts at byte "
                        + t.begin() + ", leaving bytes [" + expected + ", " + t.begin() + ") that no tensor holds"
                        + " (safetensors data must be contiguous)");
            }
            expected = t.end();
            previous = t;
        }
        if (expected != dataLength) {
            throw new LsgException(file + ": the data section has " + dataLength + " bytes but its tensors end at byte "
                    + expected + " (safetensors data must end with the last tensor)");
        }
    }
}
