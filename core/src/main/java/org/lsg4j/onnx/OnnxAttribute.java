package org.lsg4j.onnx;

import java.util.List;

/**
 * A node attribute ({@code AttributeProto}) of one of the kinds lsg4j reads. The value's Java type
 * follows the kind: {@code Float}, {@code Long}, {@code String}, {@link OnnxTensor}, {@code float[]},
 * {@code long[]} or {@code List<String>}. Subgraph and sparse-tensor attributes are refused when the
 * file is read.
 */
public record OnnxAttribute(String name, Kind kind, Object value) {

    /** {@code AttributeProto.AttributeType}, restricted to what lsg4j reads. */
    public enum Kind {
        FLOAT(1), INT(2), STRING(3), TENSOR(4), FLOATS(6), INTS(7), STRINGS(8);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /** The kind with this {@code AttributeType} code, or null for the kinds lsg4j does not read. */
        static Kind fromCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    public OnnxAttribute {
        boolean fits = switch (kind) {
            case FLOAT -> value instanceof Float;
            case INT -> value instanceof Long;
            case STRING -> value instanceof String;
            case TENSOR -> value instanceof OnnxTensor;
            case FLOATS -> value instanceof float[];
            case INTS -> value instanceof long[];
            case STRINGS -> value instanceof List<?>;
        };
        if (!fits) {
            throw new IllegalArgumentException("attribute " + name + " of kind " + kind + " cannot hold "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
    }
}
