package org.lsg4j.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Converts raw tensor bytes held in a {@link MemorySegment} into Java arrays: floating types to
 * float32, integer and boolean types to int64. Elements are addressed through element strides, so
 * contiguous data and strided views share one code path; the result is always contiguous row-major.
 */
final class TensorDecoder {
    private final MemorySegment segment;
    private final DType dtype;
    private final ValueLayout.OfShort shortLayout;
    private final ValueLayout.OfInt intLayout;
    private final ValueLayout.OfLong longLayout;
    private final ValueLayout.OfFloat floatLayout;
    private final ValueLayout.OfDouble doubleLayout;

    /** Reads elements of {@code dtype} stored in {@code segment} with the given byte order. */
    TensorDecoder(MemorySegment segment, DType dtype, ByteOrder order) {
        this.segment = segment;
        this.dtype = dtype;
        this.shortLayout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        this.intLayout = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.longLayout = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
        this.floatLayout = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order);
        this.doubleLayout = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order);
    }

    /** Row-major element strides of a contiguous tensor of this shape. */
    static long[] contiguousStrides(int[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /**
     * Reads {@code count} elements as float32. Element {@code i} (row-major over {@code shape}) is
     * at element index {@code offset + sum(index_k * strides[k])} of the segment.
     */
    float[] floats(int[] shape, long offset, long[] strides, int count) {
        float[] out = new float[count];
        if (dtype == DType.F32 && isContiguous(shape, strides)) {
            MemorySegment.copy(segment, floatLayout, offset * 4, out, 0, count);
            return out;
        }
        ElementWalk walk = new ElementWalk(shape, offset, strides);
        for (int i = 0; i < count; i++) {
            out[i] = floatAt(walk.next() * dtype.byteSize());
        }
        return out;
    }

    /** Reads {@code count} elements as int64; see {@link #floats} for the addressing. */
    long[] longs(int[] shape, long offset, long[] strides, int count) {
        long[] out = new long[count];
        if (dtype == DType.I64 && isContiguous(shape, strides)) {
            MemorySegment.copy(segment, longLayout, offset * 8, out, 0, count);
            return out;
        }
        ElementWalk walk = new ElementWalk(shape, offset, strides);
        for (int i = 0; i < count; i++) {
            out[i] = longAt(walk.next() * dtype.byteSize());
        }
        return out;
    }

    /** The element at {@code byteOffset} of the segment as float32. */
    float floatAt(long byteOffset) {
        return switch (dtype) {
            case F32 -> segment.get(floatLayout, byteOffset);
            case F64 -> (float) segment.get(doubleLayout, byteOffset);
            case F16 -> Float.float16ToFloat(segment.get(shortLayout, byteOffset));
            case BF16 -> Float.intBitsToFloat((segment.get(shortLayout, byteOffset) & 0xFFFF) << 16);
            default -> throw new IllegalStateException(dtype + " is not a floating type");
        };
    }

    private long longAt(long byteOffset) {
        return switch (dtype) {
            case I64 -> segment.get(longLayout, byteOffset);
            case I32 -> segment.get(intLayout, byteOffset);
            case I16 -> segment.get(shortLayout, byteOffset);
            case I8 -> segment.get(ValueLayout.JAVA_BYTE, byteOffset);
            case U8 -> segment.get(ValueLayout.JAVA_BYTE, byteOffset) & 0xFF;
            case BOOL -> segment.get(ValueLayout.JAVA_BYTE, byteOffset) != 0 ? 1 : 0;
            default -> throw new IllegalStateException(dtype + " is not an integer type");
        };
    }

    private static boolean isContiguous(int[] shape, long[] strides) {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Yields the storage element index of each element of a strided view, in row-major order. */
    static final class ElementWalk {
        private final int[] shape;
        private final long[] strides;
        private final int[] index;
        private long position;
        private boolean started;

        ElementWalk(int[] shape, long offset, long[] strides) {
            this.shape = shape;
            this.strides = strides;
            this.index = new int[shape.length];
            this.position = offset;
        }

        long next() {
            if (started) {
                advance();
            }
            started = true;
            return position;
        }

        private void advance() {
            for (int k = shape.length - 1; k >= 0; k--) {
                index[k]++;
                position += strides[k];
                if (index[k] < shape[k]) {
                    return;
                }
                position -= strides[k] * index[k];
                index[k] = 0;
            }
        }
    }
}
