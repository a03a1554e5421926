package org.lsg4j.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

/**
 * A memory-mapped safetensors file. The whole header is validated when the file is opened; tensor
 * data is read only when asked for, and every read returns a fresh copy. Reads are thread-safe.
 * {@link #close()} unmaps the file; reading afterwards fails.
 *
 * <p>Format: an 8-byte little-endian header length N, N bytes of JSON, then the little-endian data.
 */
public final class SafeTensors implements AutoCloseable {
    /** Largest header accepted; real headers are far smaller. */
    static final long MAX_HEADER_BYTES = Limits.SAFETENSORS_HEADER_BYTES;

    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final SafeTensorsHeader header;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SafeTensors(Path file, Arena arena, MemorySegment data, SafeTensorsHeader header) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.header = header;
    }

    /**
     * Maps {@code file} and validates its header.
     *
     * @throws LsgException if the file cannot be read or is not a valid safetensors file
     */
    public static SafeTensors open(Path file) {
        InputFiles.requireRegularFile(file, Long.MAX_VALUE, "safetensors file");
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new LsgException(file + ": not a safetensors file: " + size
                        + " bytes, shorter than the 8-byte header length");
            }
            MemorySegment whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLength = whole.get(U64_LE, 0);
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new LsgException(file + ": safetensors header length " + Long.toUnsignedString(headerLength)
                        + " is not plausible (limit " + MAX_HEADER_BYTES + " bytes)");
            }
            if (headerLength > size - 8) {
                throw new LsgException(file + ": safetensors header length " + headerLength
                        + " is past the end of the file (" + size + " bytes)");
            }
            byte[] headerBytes = whole.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = whole.asSlice(8 + headerLength);
            SafeTensorsHeader header = SafeTensorsHeader.parse(file, headerBytes, data.byteSize());
            return new SafeTensors(file, arena, data, header);
        } catch (IOException e) {
            arena.close();
            throw new LsgException(file + ": cannot read safetensors file (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Writes tensors to {@code file} atomically: the data goes to a temporary file in the same folder,
     * which is then moved over {@code file}. Values must be {@link FloatTensor} (stored as F32) or
     * {@link org.lsg4j.tensor.LongTensor} (stored as I64).
     *
     * @param metadata the {@code __metadata__} entry; empty for none
     * @throws LsgException if a value has an unsupported type or writing fails; no partial file is left
     */
    public static void write(Path file, Map<String, Object> tensors, Map<String, String> metadata) {
        SafeTensorsWriter.write(file, tensors, metadata);
    }

    /** The file this was opened from. */
    public Path path() {
        return file;
    }

    /** The {@code __metadata__} entry, empty if the header has none. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Tensor names in header order, without {@code __metadata__}. */
    public List<String> names() {
        return List.copyOf(header.tensors().keySet());
    }

    /** Whether the file holds a tensor with this name. */
    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    /**
     * The header entry of a tensor.
     *
     * @throws LsgException naming the file and tensor if there is no such tensor
     */
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new LsgException(file + ": no tensor '" + LsgException.excerpt(name) + "' (the file holds "
                    + header.tensors().size() + " tensors)");
        }
        return info;
    }

    /**
     * Reads a floating tensor (F32, F16, BF16 or F64) as float32. F16 and BF16 widen exactly; F64 is
     * rounded to the nearest float.
     *
     * @throws LsgException if the tensor is absent or not of a floating type
     */
    public FloatTensor floats(String name) {
        TensorInfo info = info(name);
        if (!info.dtype().isFloating()) {
            throw new LsgException(file + ": tensor '" + name + "' has dtype " + info.dtype()
                    + ", expected a floating type (F64, F32, F16, BF16)");
        }
        int[] shape = info.shape();
        return new FloatTensor(shape, decoder(info).floats(shape, 0, TensorDecoder.contiguousStrides(shape),
                elementCount(info)));
    }

    /**
     * Reads an integer or boolean tensor (I64, I32, I16, I8, U8, BOOL) as int64; BOOL gives 0 or 1.
     *
     * @throws LsgException if the tensor is absent or of a floating type
     */
    public LongTensor longs(String name) {
        TensorInfo info = info(name);
        if (info.dtype().isFloating()) {
            throw new LsgException(file + ": tensor '" + name + "' has dtype " + info.dtype()
                    + ", expected an integer or boolean type (I64, I32, I16, I8, U8, BOOL)");
        }
        int[] shape = info.shape();
        return new LongTensor(shape, decoder(info).longs(shape, 0, TensorDecoder.contiguousStrides(shape),
                elementCount(info)));
    }

    /** Unmaps the file. Calling it again does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            arena.close();
        }
    }

    private TensorDecoder decoder(TensorInfo info) {
        if (closed.get()) {
            throw new LsgException(file + ": cannot read tensor '" + info.name() + "', the file is closed");
        }
        return new TensorDecoder(data.asSlice(info.begin(), info.byteLength()), info.dtype(), ByteOrder.LITTLE_ENDIAN);
    }

    private int elementCount(TensorInfo info) {
        long n = info.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new LsgException(file + ": tensor '" + info.name() + "' has " + n
                    + " elements, more than a Java array can hold");
        }
        return (int) n;
    }
}
