package org.lsg4j.onnx;

/**
 * Element types of ONNX tensors ({@code TensorProto.DataType}), with their codes in the format
 * and, for fixed-size types, bytes per element in {@code raw_data}. lsg4j reads the values of
 * {@link #FLOAT}, {@link #INT64} and {@link #INT32} tensors; the others are recognised so that an
 * error can name them.
 */
public enum OnnxDataType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    UINT16(4, 2),
    INT16(5, 2),
    INT32(6, 4),
    INT64(7, 8),
    STRING(8, 0),
    BOOL(9, 1),
    FLOAT16(10, 2),
    DOUBLE(11, 8),
    UINT32(12, 4),
    UINT64(13, 8),
    COMPLEX64(14, 8),
    COMPLEX128(15, 16),
    BFLOAT16(16, 2);

    private final int code;
    private final int byteSize;

    OnnxDataType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /** The type's number in {@code TensorProto.DataType}. */
    public int code() {
        return code;
    }

    /** Bytes per element in {@code raw_data}; 0 for {@link #STRING}, which has no fixed size. */
    public int byteSize() {
        return byteSize;
    }

    /** The type with this code, or null when the code is not one of the types above. */
    static OnnxDataType fromCode(int code) {
        for (OnnxDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
