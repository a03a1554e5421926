package org.lsg4j.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.lsg4j.LsgException;

/**
 * A cursor over one protobuf message: the bytes {@code [position, end)} of a segment (usually the
 * memory-mapped file). It reads the wire format only: a tag (field number and wire type), then a
 * varint, a fixed 32- or 64-bit value, or a length-delimited run of bytes, which for a nested
 * message becomes a child reader over exactly those bytes. Lengths are checked against the bytes
 * left in the enclosing message before anything is allocated, so a malformed file fails with a
 * message naming the file and the field path ({@code ModelProto.graph.node[3].attribute[0].ints})
 * instead of reading past the end or allocating what a corrupt length asks for.
 *
 * <p>Usage: {@code while (r.next()) switch (r.field()) { case 1 -> r.varint("dims"); ... default -> r.skip(); }}.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment bytes;
    private final String file;
    private final ProtoReader parent;
    private final String label;
    private final long end;
    private long position;
    private int field;
    private int wireType;

    private ProtoReader(MemorySegment bytes, String file, ProtoReader parent, String label, long start, long end) {
        this.bytes = bytes;
        this.file = file;
        this.parent = parent;
        this.label = label;
        this.position = start;
        this.end = end;
    }

    /** A reader over all of {@code bytes}, a message of type {@code message} read from {@code file}. */
    static ProtoReader of(MemorySegment bytes, String file, String message) {
        return new ProtoReader(bytes, file, null, message, 0, bytes.byteSize());
    }

    /** Reads the next tag; false when the message has no bytes left. */
    boolean next() {
        if (position >= end) {
            return false;
        }
        long tag = readVarint("tag");
        int number = (int) (tag >>> 3);
        if (tag >>> 3 > 0x1FFF_FFFFL || number == 0) {
            throw error("field number " + (tag >>> 3) + " at byte " + position + " is not valid");
        }
        field = number;
        wireType = (int) (tag & 7);
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw error("field " + number + ": wire type " + wireType
                    + (wireType == 3 || wireType == 4 ? " (group) is not supported" : " is not valid"));
        }
        return true;
    }

    /** The field number of the tag {@link #next} read. */
    int field() {
        return field;
    }

    /** A varint field ({@code int64}, {@code uint64}, {@code bool} or an enum), as its 64 bits. */
    long varint(String name) {
        expect(name, VARINT);
        return readVarint(name);
    }

    /** An {@code int32} or enum varint field: its low 32 bits, as protobuf defines the conversion. */
    int int32(String name) {
        return (int) varint(name);
    }

    /** A {@code float} field (fixed 32 bits, little-endian). */
    float float32(String name) {
        expect(name, FIXED32);
        need(name, 4);
        float v = bytes.get(F32_LE, position);
        position += 4;
        return v;
    }

    /** A nested message field: a reader over exactly its bytes, labelled {@code label} in error paths. */
    ProtoReader message(String label) {
        long length = length(label);
        ProtoReader child = new ProtoReader(bytes, file, this, label, position, position + length);
        position += length;
        return child;
    }

    /** A {@code bytes} field, as a slice of the underlying segment (nothing is copied). */
    MemorySegment bytes(String name) {
        long length = length(name);
        MemorySegment slice = bytes.asSlice(position, length);
        position += length;
        return slice;
    }

    /** A {@code string} field, which must be valid UTF-8. */
    String string(String name) {
        long length = length(name);
        if (length > Integer.MAX_VALUE - 8) {
            throw error(name + ": string of " + length + " bytes is too long");
        }
        byte[] utf8 = bytes.asSlice(position, length).toArray(ValueLayout.JAVA_BYTE);
        position += length;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw error(name + ": string is not valid UTF-8");
        }
    }

    /**
     * One occurrence of a repeated varint field ({@code repeated int64}): either one value, or a
     * packed run of values, appended to {@code out}.
     */
    void varints(String name, Longs out) {
        if (wireType == VARINT) {
            out.add(readVarint(name));
            return;
        }
        long length = length(name);
        long stop = position + length;
        out.reserve(countVarints(position, stop));
        while (position < stop) {
            out.add(readVarint(name));
        }
    }

    /** One occurrence of a repeated {@code float} field: one value, or a packed run, appended to {@code out}. */
    void floats(String name, Floats out) {
        if (wireType == FIXED32) {
            out.add(float32(name));
            return;
        }
        long length = length(name);
        if (length % 4 != 0) {
            throw error(name + ": packed floats of " + length + " bytes, not a multiple of 4");
        }
        int n = (int) (length / 4);
        out.reserve(n);
        for (int i = 0; i < n; i++) {
            out.add(bytes.get(F32_LE, position + 4L * i));
        }
        position += length;
    }

    /** Skips the value of the current field, whatever its wire type. */
    void skip() {
        String name = "field " + field;
        switch (wireType) {
            case VARINT -> readVarint(name);
            case FIXED64 -> {
                need(name, 8);
                position += 8;
            }
            case FIXED32 -> {
                need(name, 4);
                position += 4;
            }
            default -> {
                long length = length(name);   // reads the length first; position += length(name) would drop that read
                position += length;
            }
        }
    }

    /** An error about this message: {@code file: Message.path.to.here: problem}. */
    LsgException error(String problem) {
        return new LsgException(file + ": " + where() + ": " + problem);
    }

    /** The field path of this message from the root, e.g. {@code ModelProto.graph.node[3]}. */
    String where() {
        return parent == null ? label : parent.where() + "." + label;
    }

    private void expect(String name, int type) {
        if (wireType != type) {
            throw error(name + " (field " + field + "): wire type " + wireType + ", expected " + type);
        }
    }

    private long length(String name) {
        expect(name, LENGTH_DELIMITED);
        long length = readVarint(name);
        long left = end - position;
        if (length < 0 || length > left) {
            throw error(name + ": length " + Long.toUnsignedString(length) + " runs past the end of "
                    + where() + " (" + left + " bytes left)");
        }
        return length;
    }

    private void need(String name, int n) {
        if (end - position < n) {
            throw error(name + ": truncated, " + n + " bytes needed, " + (end - position) + " left");
        }
    }

    private long readVarint(String name) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw error(name + ": truncated varint at the end of " + where());
            }
            byte b = bytes.get(ValueLayout.JAVA_BYTE, position++);
            if (shift == 63 && (b & 0xFE) != 0) {
                throw error(name + ": varint longer than 64 bits");
            }
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw error(name + ": varint longer than 64 bits");
    }

    /** The number of varints in {@code [from, to)}: bytes without the continuation bit (an upper bound if malformed). */
    private int countVarints(long from, long to) {
        long n = 0;
        for (long p = from; p < to; p++) {
            if (bytes.get(ValueLayout.JAVA_BYTE, p) >= 0) {
                n++;
            }
        }
        return (int) Math.min(n, Integer.MAX_VALUE - 8);
    }

    /** The capacity a growable array of {@code capacity} holding {@code size} grows to for {@code more} elements. */
    private static int grownCapacity(int capacity, int size, int more) {
        long needed = (long) size + more;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new LsgException("a repeated field holds more than " + (Integer.MAX_VALUE - 8) + " values");
        }
        return (int) Math.max(needed, Math.min((long) capacity * 2, Integer.MAX_VALUE - 8));
    }

    /** A growable {@code long[]} for repeated varint fields. */
    static final class Longs {
        private long[] values = new long[4];
        private int size;

        void add(long v) {
            reserve(1);
            values[size++] = v;
        }

        void reserve(int more) {
            if (values.length - size < more) {
                values = Arrays.copyOf(values, grownCapacity(values.length, size, more));
            }
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** A growable {@code float[]} for repeated float fields. */
    static final class Floats {
        private float[] values = new float[4];
        private int size;

        void add(float v) {
            reserve(1);
            values[size++] = v;
        }

        void reserve(int more) {
            if (values.length - size < more) {
                values = Arrays.copyOf(values, grownCapacity(values.length, size, more));
            }
        }

        int size() {
            return size;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
