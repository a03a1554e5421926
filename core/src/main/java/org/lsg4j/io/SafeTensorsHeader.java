package org.lsg4j.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
 * entries in header order. Every check that can be made without reading tensor data is made here.
 */
record SafeTensorsHeader(Map<String, String> metadata, Map<String, TensorInfo> tensors) {

    /** Key of the optional string-to-string metadata entry. */
    static final String METADATA_KEY = "__metadata__";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
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
        JsonNode root;
        try {
            root = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new LsgException(file + ": safetensors header is not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new LsgException(file + ": safetensors header must be a JSON object, found "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        Map<String, String> metadata = Map.of();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, e.getValue());
            } else {
                tensors.put(e.getKey(), parseEntry(file, e.getKey(), e.getValue(), dataLength));
            }
        }
        checkNoOverlap(file, tensors.values());
        return new SafeTensorsHeader(metadata, tensors);
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw new LsgException(file + ": " + METADATA_KEY + " must be a JSON object of strings, found "
                    + node.getNodeType());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new LsgException(file + ": " + METADATA_KEY + " value '" + e.getKey()
                        + "' must be a string, found " + e.getValue().getNodeType());
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return metadata;
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode node, long dataLength) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new LsgException(where + ": entry must be a JSON object, found " + node.getNodeType());
        }
        JsonNode dtypeNode = require(where, node, "dtype");
        if (!dtypeNode.isTextual()) {
            throw new LsgException(where + ": dtype must be a string, found " + dtypeNode.getNodeType());
        }
        DType dtype;
        try {
            dtype = DType.parse(dtypeNode.textValue());
        } catch (LsgException e) {
            throw new LsgException(where + ": " + e.getMessage(), e);
        }
        int[] shape = parseShape(where, require(where, node, "shape"));
        long[] offsets = parseOffsets(where, require(where, node, "data_offsets"));
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

    private static JsonNode require(String where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new LsgException(where + ": entry has no '" + field + "'");
        }
        return value;
    }

    private static int[] parseShape(String where, JsonNode node) {
        if (!node.isArray()) {
            throw new LsgException(where + ": shape must be a JSON array, found " + node.getNodeType());
        }
        int[] shape = new int[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw new LsgException(where + ": shape[" + i + "] must be an integer, found " + d);
            }
            long v = d.longValue();
            if (v < 0) {
                throw new LsgException(where + ": shape[" + i + "] is negative (" + v + ")");
            }
            if (v > Integer.MAX_VALUE) {
                throw new LsgException(where + ": shape[" + i + "] = " + v + " is larger than " + Integer.MAX_VALUE);
            }
            shape[i] = (int) v;
        }
        return shape;
    }

    private static long[] parseOffsets(String where, JsonNode node) {
        if (!node.isArray() || node.size() != 2) {
            throw new LsgException(where + ": data_offsets must be [begin, end], found " + node);
        }
        long[] offsets = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new LsgException(where + ": data_offsets must be two non-negative integers, found " + node);
            }
            offsets[i] = v.longValue();
        }
        if (offsets[0] > offsets[1]) {
            throw new LsgException(where + ": data_offsets begin " + offsets[0] + " is after end " + offsets[1]);
        }
        return offsets;
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

    private static void checkNoOverlap(Path file, Iterable<TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>();
        infos.forEach(sorted::add);
        sorted.removeIf(t -> t.begin() == t.end());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1);
            TensorInfo cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw new LsgException(file + ": tensor '" + cur.name() + "' data [" + cur.begin() + ", " + cur.end()
                        + ") overlaps tensor '" + prev.name() + "' data [" + prev.begin() + ", " + prev.end() + ")");
            }
        }
    }
}
