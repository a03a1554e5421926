package org.lsg4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test helper: writes pickle opcodes by hand and packs them into a torch-style zip archive. */
final class TorchArchive {
    private final ByteArrayOutputStream pickle = new ByteArrayOutputStream();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    TorchArchive op(int... bytes) {
        for (int b : bytes) {
            pickle.write(b);
        }
        return this;
    }

    TorchArchive global(String module, String name) {
        op('c');
        pickle.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TorchArchive str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        pickle.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        pickle.writeBytes(b);
        return this;
    }

    TorchArchive integer(int v) {
        op('J');
        pickle.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        return this;
    }

    /** Pushes an int tuple such as a size or stride. */
    TorchArchive ints(int... values) {
        op('(');
        for (int v : values) {
            integer(v);
        }
        return op('t');
    }

    /** Pushes the persistent id of a storage and loads it with BINPERSID. */
    TorchArchive storage(String type, String key, int numel) {
        op('(').str("storage").global("torch", type).str(key).str("cpu").integer(numel).op('t', 'Q');
        return this;
    }

    /** Pushes {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}. */
    TorchArchive tensor(String type, String key, int numel, int offset, int[] size, int[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        storage(type, key, numel).integer(offset).ints(size).ints(stride).op(0x89);
        global("collections", "OrderedDict").op(')', 'R');
        return op('t', 'R');
    }

    TorchArchive entry(String name, byte[] bytes) {
        entries.put(name, bytes);
        return this;
    }

    static byte[] floats(ByteOrder order, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    byte[] pickleBytes() {
        return pickle.toByteArray();
    }

    /** Writes {@code archive/data.pkl}, {@code archive/version} and the added entries. */
    Path write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "archive/data.pkl", pickle.toByteArray());
            put(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                put(zip, e.getKey(), e.getValue());
            }
        }
        return file;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
