package org.lsg4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

/**
 * Writes safetensors files. Tensors are laid out widest dtype first, then by name, so every tensor
 * starts on a multiple of its element size; the header is padded with spaces to a multiple of 8.
 */
final class SafeTensorsWriter {
    private static final JsonMapper JSON = new JsonMapper();
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensorsWriter() {
    }

    /** A tensor to write: {@code data} is its float[] (F32) or long[] (I64) elements. */
    private record Item(String name, DType dtype, int[] shape, Object data, long byteLength) {
    }

    static void write(Path file, Map<String, Object> tensors, Map<String, String> metadata) {
        List<Item> items = layout(file, tensors);
        byte[] header = header(items, metadata);
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new LsgException(file + ": is a folder; expected a file name for the safetensors output");
        }
        // A fresh name beside the target (created with the default permissions, unlike createTempFile's 0600).
        Path temp = TempOutput.beside(target);
        FileChannel channel;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (java.nio.file.NoSuchFileException e) {
            TempOutput.discard(temp, e);
            throw new LsgException(file + ": folder " + target.getParent() + " does not exist", e);
        } catch (IOException e) {
            TempOutput.discard(temp, e);
            throw new LsgException(file + ": cannot create a file in " + target.getParent() + " (" + e.getMessage() + ")", e);
        }
        try {
            try (FileChannel out = channel) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                writeFully(out, length.flip());
                writeFully(out, ByteBuffer.wrap(header));
                for (Item item : items) {
                    writeData(out, item.data());
                }
                out.force(true);
            }
            TempOutput.commit(temp, target);
        } catch (IOException | RuntimeException e) {
            TempOutput.discard(temp, e);
            if (e instanceof LsgException lsg) {
                throw lsg;
            }
            throw new LsgException(file + ": cannot write safetensors file (" + e.getMessage() + ")", e);
        }
    }

    private static List<Item> layout(Path file, Map<String, Object> tensors) {
        List<Item> items = new ArrayList<>();
        for (Map.Entry<String, Object> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(SafeTensorsHeader.METADATA_KEY)) {
                throw new LsgException(file + ": cannot write a tensor named '" + name + "'");
            }
            switch (e.getValue()) {
                case FloatTensor t -> items.add(new Item(name, DType.F32, t.shape(), t.data(), 4L * t.data().length));
                case LongTensor t -> items.add(new Item(name, DType.I64, t.shape(), t.data(), 8L * t.data().length));
                case null, default -> throw new LsgException(file + ": tensor '" + name
                        + "' must be a FloatTensor or LongTensor, found "
                        + (e.getValue() == null ? "null" : e.getValue().getClass().getSimpleName()));
            }
        }
        items.sort(Comparator.comparingInt((Item i) -> -i.dtype().byteSize()).thenComparing(Item::name));
        return items;
    }

    private static byte[] header(List<Item> items, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafeTensorsHeader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Item i : items) {
            ObjectNode entry = root.putObject(i.name());
            entry.put("dtype", i.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (int d : i.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + i.byteLength());
            offset += i.byteLength();
        }
        String json;
        try {
            json = JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a header tree", e);
        }
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(raw, (raw.length + 7) / 8 * 8);
        Arrays.fill(padded, raw.length, padded.length, (byte) ' ');
        return padded;
    }

    private static void writeData(FileChannel out, Object data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (data instanceof float[] f) {
            for (int from = 0; from < f.length; from += CHUNK_BYTES / 4) {
                int n = Math.min(CHUNK_BYTES / 4, f.length - from);
                buf.clear();
                buf.asFloatBuffer().put(f, from, n);
                writeFully(out, buf.limit(n * 4));
            }
        } else {
            long[] l = (long[]) data;
            for (int from = 0; from < l.length; from += CHUNK_BYTES / 8) {
                int n = Math.min(CHUNK_BYTES / 8, l.length - from);
                buf.clear();
                buf.asLongBuffer().put(l, from, n);
                writeFully(out, buf.limit(n * 8));
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }
}
