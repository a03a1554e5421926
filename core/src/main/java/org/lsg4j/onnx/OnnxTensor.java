package org.lsg4j.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.lsg4j.LsgException;

/**
 * An ONNX {@code TensorProto}: an initializer or a constant. Its values stay where the file has them
 * ({@code raw_data} is a slice of the mapped file, not a copy) until {@link #floats} or
 * {@link #longs} decodes them into a fresh array. The element count is checked against the data
 * when the file is read, so decoding cannot run short.
 */
public final class OnnxTensor {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String source;
    private final String name;
    private final OnnxDataType dataType;
    private final long[] dims;
    private final int elementCount;
    private final MemorySegment raw;
    private final float[] floatData;
    private final long[] intData;

    /**
     * @param source where the tensor was read, for messages ({@code file: ModelProto.graph.initializer[3]})
     * @param raw {@code raw_data}, or null; exactly one of raw, floatData and intData holds the values
     *     (all null for an empty tensor)
     */
    OnnxTensor(String source, String name, OnnxDataType dataType, long[] dims, int elementCount,
               MemorySegment raw, float[] floatData, long[] intData) {
        this.source = source;
        this.name = name;
        this.dataType = dataType;
        this.dims = dims;
        this.elementCount = elementCount;
        this.raw = raw;
        this.floatData = floatData;
        this.intData = intData;
    }

    /** The tensor's name ({@code ""} for a constant attribute's tensor, which usually has none). */
    public String name() {
        return name;
    }

    public OnnxDataType dataType() {
        return dataType;
    }

    /** The dimensions as the file gives them; {@code []} for a scalar. */
    public long[] dims() {
        return dims.clone();
    }

    /** The dimensions as a shape, e.g. for a {@link org.lsg4j.tensor.FloatTensor}. */
    public int[] shape() {
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = (int) dims[i];   // each dimension is at most the element count, checked to fit an int
        }
        return shape;
    }

    public int elementCount() {
        return elementCount;
    }

    /** Where the tensor was read, for messages: {@code file: ModelProto.graph.initializer[3] 'name'}. */
    public String source() {
        return source + (name.isEmpty() ? "" : " '" + name + "'");
    }

    /**
     * The values of a {@link OnnxDataType#FLOAT} tensor, row-major.
     *
     * @throws LsgException for any other element type
     */
    public float[] floats() {
        if (dataType != OnnxDataType.FLOAT) {
            throw new LsgException(source() + ": data type " + dataType + ", expected FLOAT");
        }
        if (floatData != null) {
            return floatData.clone();
        }
        float[] out = new float[elementCount];
        if (elementCount > 0) {
            MemorySegment.copy(alive(), F32_LE, 0, out, 0, elementCount);
        }
        return out;
    }

    /**
     * The values of an {@link OnnxDataType#INT64} or {@link OnnxDataType#INT32} tensor, row-major.
     *
     * @throws LsgException for any other element type
     */
    public long[] longs() {
        if (dataType != OnnxDataType.INT64 && dataType != OnnxDataType.INT32) {
            throw new LsgException(source() + ": data type " + dataType + ", expected INT64 or INT32");
        }
        if (intData != null) {
            return intData.clone();
        }
        long[] out = new long[elementCount];
        if (elementCount == 0) {
            return out;
        }
        MemorySegment data = alive();
        if (dataType == OnnxDataType.INT64) {
            MemorySegment.copy(data, I64_LE, 0, out, 0, elementCount);
        } else {
            for (int i = 0; i < elementCount; i++) {
                out[i] = data.get(I32_LE, 4L * i);
            }
        }
        return out;
    }

    private MemorySegment alive() {
        if (!raw.scope().isAlive()) {
            throw new LsgException(source() + ": cannot read the tensor, its ONNX file is closed");
        }
        return raw;
    }

    @Override
    public String toString() {
        return name + " " + dataType + Arrays.toString(dims);
    }
}
