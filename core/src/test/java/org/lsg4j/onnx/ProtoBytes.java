package org.lsg4j.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes protobuf wire format by hand, to build small (and broken) ONNX messages for tests. */
final class ProtoBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static ProtoBytes message() {
        return new ProtoBytes();
    }

    ProtoBytes tag(int field, int wireType) {
        return rawVarint(((long) field << 3) | wireType);
    }

    ProtoBytes varint(int field, long value) {
        return tag(field, 0).rawVarint(value);
    }

    ProtoBytes fixed32(int field, float value) {
        tag(field, 5);
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
        out.writeBytes(b);
        return this;
    }

    ProtoBytes fixed64(int field, long value) {
        tag(field, 1);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        return this;
    }

    ProtoBytes bytes(int field, byte[] value) {
        tag(field, 2).rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoBytes string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoBytes message(int field, ProtoBytes value) {
        return bytes(field, value.toBytes());
    }

    ProtoBytes packedVarints(int field, long... values) {
        ProtoBytes packed = new ProtoBytes();
        for (long v : values) {
            packed.rawVarint(v);
        }
        return bytes(field, packed.toBytes());
    }

    ProtoBytes packedFloats(int field, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return bytes(field, b.array());
    }

    ProtoBytes rawVarint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    ProtoBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    /** Little-endian float32 bytes, as raw_data holds them. */
    static byte[] floatsLe(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
