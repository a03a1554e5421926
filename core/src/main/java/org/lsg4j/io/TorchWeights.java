package org.lsg4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.Shapes;

/**
 * A {@code pytorch_model.bin} in torch's zip format: {@code <prefix>/data.pkl} (the pickled state
 * dict, read with {@link StateDictUnpickler}), one {@code <prefix>/data/<key>} entry per storage,
 * and optionally {@code <prefix>/byteorder}. The archive structure and every storage's size are
 * checked when the file is opened; tensor bytes are read on demand.
 */
final class TorchWeights implements WeightFile {
    private static final int CHUNK_BYTES = 1 << 20;
    /** A view spanning more than this many times its element count (plus a chunk) is read element by element. */
    private static final int SPARSE_SPAN = 4;

    private final Path path;
    private final ZipFile zip;
    private final String prefix;
    private final ByteOrder order;
    private final Map<String, TorchRefs.Tensor> tensors;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TorchWeights(Path path, ZipFile zip, String prefix, ByteOrder order,
            Map<String, TorchRefs.Tensor> tensors) {
        this.path = path;
        this.zip = zip;
        this.prefix = prefix;
        this.order = order;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Opens and checks a torch zip checkpoint.
     *
     * @throws LsgException if the file is not a readable torch zip archive of a state dict
     */
    static TorchWeights open(Path path) {
        InputFiles.requireRegularFile(path, Long.MAX_VALUE, "torch checkpoint");
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new LsgException(path + ": not a torch zip archive, or it is truncated (" + e.getMessage()
                    + "); the legacy non-zip torch format is not supported", e);
        } catch (IOException e) {
            throw new LsgException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            ZipEntry pickle = findPickle(path, zip);
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ByteOrder order = byteOrder(path, zip, prefix);
            Map<String, TorchRefs.Tensor> tensors = StateDictUnpickler.read(
                    readEntry(path, zip, pickle, Limits.PICKLE_BYTES), path + " (" + pickle.getName() + ")");
            TorchWeights weights = new TorchWeights(path, zip, prefix, order, tensors);
            weights.checkStorages();
            return weights;
        } catch (RuntimeException e) {
            closeQuietly(zip, e);
            throw e;
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<String> keys() {
        return List.copyOf(tensors.keySet());
    }

    @Override
    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    @Override
    public int[] shape(String key) {
        return tensor(key).shape();
    }

    @Override
    public FloatTensor floats(String key) {
        TorchRefs.Tensor t = tensor(key);
        DType dtype = t.storage().dtype();
        if (!dtype.isFloating()) {
            throw new LsgException(path + ": tensor '" + key + "' has dtype " + dtype
                    + ", expected a floating type (F64, F32, F16, BF16)");
        }
        int[] shape = t.shape();
        long count = Shapes.size(shape);
        if (count > Integer.MAX_VALUE - 8) {
            throw new LsgException(path + ": tensor '" + key + "' has " + count
                    + " elements, more than a Java array can hold");
        }
        if (count == 0) {
            return new FloatTensor(shape, new float[0]);
        }
        long first = t.offset();
        long[] strides = t.strides();
        if (t.extent() - first > SPARSE_SPAN * count + CHUNK_BYTES) {
            return new FloatTensor(shape, readSparse(key, t, (int) count));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment span = readSpan(key, t.storage(), first, t.extent(), arena);
            float[] values = new TensorDecoder(span, dtype, order).floats(shape, 0, strides, (int) count);
            return new FloatTensor(shape, values);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                zip.close();
            } catch (IOException e) {
                throw new LsgException(path + ": cannot close (" + e.getMessage() + ")", e);
            }
        }
    }

    private TorchRefs.Tensor tensor(String key) {
        TorchRefs.Tensor t = tensors.get(key);
        if (t == null) {
            throw new LsgException(path + ": no tensor '" + key + "'");
        }
        return t;
    }

    /**
     * A view whose elements lie far apart in its storage (a slice with a large step), read element
     * by element in storage order while the stream skips what lies between, rather than through a
     * buffer of its whole span. Such a view must visit its storage in increasing order, as a slice
     * does; a sparse view that jumps back and forth is refused.
     */
    private float[] readSparse(String key, TorchRefs.Tensor t, int count) {
        int[] shape = t.shape();
        long[] strides = t.strides();
        long inner = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            if (shape[k] == 1) {
                continue;
            }
            if (strides[k] < inner) {
                throw new LsgException(path + ": tensor '" + LsgException.excerpt(key) + "' is a view of " + count
                        + " elements spread over " + (t.extent() - t.offset()) + " elements of its storage out of"
                        + " storage order (strides " + java.util.Arrays.toString(strides) + "); lsg4j reads such a view"
                        + " only when it covers at least 1/" + SPARSE_SPAN + " of its span");
            }
            inner = strides[k] * (shape[k] - 1) + inner;
        }
        if (closed.get()) {
            throw new LsgException(path + ": cannot read tensor '" + key + "', the file is closed");
        }
        DType dtype = t.storage().dtype();
        int size = dtype.byteSize();
        byte[] one = new byte[size];
        TensorDecoder decoder = new TensorDecoder(MemorySegment.ofArray(one), dtype, order);
        TensorDecoder.ElementWalk walk = new TensorDecoder.ElementWalk(shape, t.offset(), strides);
        float[] out = new float[count];
        ZipEntry entry = zip.getEntry(storageEntry(t.storage()));
        try (InputStream in = zip.getInputStream(entry)) {
            long at = 0;
            for (int i = 0; i < count; i++) {
                long position = walk.next();
                in.skipNBytes((position - at) * size);
                if (in.readNBytes(one, 0, size) != size) {
                    throw new LsgException(path + ": entry " + entry.getName() + " for tensor '" + key + "' ends early");
                }
                out[i] = decoder.floatAt(0);
                at = position + 1;
            }
        } catch (java.io.EOFException e) {
            throw new LsgException(path + ": entry " + entry.getName() + " for tensor '" + key + "' ends early", e);
        } catch (IOException e) {
            throw new LsgException(path + ": cannot read entry " + entry.getName() + " for tensor '" + key
                    + "' (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** Reads storage elements {@code [from, to)} into a fresh off-heap segment. */
    private MemorySegment readSpan(String key, TorchRefs.Storage storage, long from, long to, Arena arena) {
        if (closed.get()) {
            throw new LsgException(path + ": cannot read tensor '" + key + "', the file is closed");
        }
        int size = storage.dtype().byteSize();
        MemorySegment span = arena.allocate((to - from) * size);
        ZipEntry entry = zip.getEntry(storageEntry(storage));
        try (InputStream in = zip.getInputStream(entry)) {
            in.skipNBytes(from * size);
            byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, span.byteSize())];
            for (long done = 0; done < span.byteSize(); ) {
                int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, span.byteSize() - done));
                if (n == 0) {
                    throw new LsgException(path + ": entry " + entry.getName() + " for tensor '" + key
                            + "' ends early");
                }
                MemorySegment.copy(chunk, 0, span, ValueLayout.JAVA_BYTE, done, n);
                done += n;
            }
        } catch (IOException e) {
            throw new LsgException(path + ": cannot read entry " + entry.getName() + " for tensor '" + key
                    + "' (" + e.getMessage() + ")", e);
        }
        return span;
    }

    private String storageEntry(TorchRefs.Storage storage) {
        return prefix + "data/" + storage.key();
    }

    private void checkStorages() {
        long fileSize;
        try {
            fileSize = java.nio.file.Files.size(path);
        } catch (IOException e) {
            throw new LsgException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        for (Map.Entry<String, TorchRefs.Tensor> e : tensors.entrySet()) {
            TorchRefs.Storage storage = e.getValue().storage();
            String name = storageEntry(storage);
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw new LsgException(path + ": tensor '" + e.getKey() + "' needs archive entry " + name
                        + ", which is missing");
            }
            long expected = storage.numel() * storage.dtype().byteSize();
            checkRatio(path, entry);
            if (entry.getCompressedSize() > fileSize) {
                throw new LsgException(path + ": archive entry " + name + " claims " + entry.getCompressedSize()
                        + " stored bytes, more than the whole file (" + fileSize + " bytes)");
            }
            if (entry.getSize() >= 0 && entry.getSize() < expected) {
                throw new LsgException(path + ": archive entry " + name + " for tensor '" + e.getKey() + "' has "
                        + entry.getSize() + " bytes, expected " + expected);
            }
        }
    }

    /**
     * A compressed entry may not claim more than {@link Limits#ZIP_RATIO} times its compressed
     * size: torch stores its entries uncompressed, and a zip bomb is a few MB claiming gigabytes.
     */
    private static void checkRatio(Path path, ZipEntry entry) {
        long size = entry.getSize();
        long compressed = entry.getCompressedSize();
        if (entry.getMethod() != ZipEntry.STORED && size > 0
                && (compressed <= 0 || size / compressed > Limits.ZIP_RATIO)) {
            throw new LsgException(path + ": archive entry " + entry.getName() + " inflates " + compressed + " bytes to "
                    + size + ", more than " + Limits.ZIP_RATIO + " times (torch stores entries uncompressed)");
        }
    }

    private static ZipEntry findPickle(Path path, ZipFile zip) {
        List<ZipEntry> found = new ArrayList<>();
        zip.stream().filter(e -> e.getName().endsWith("/data.pkl")
                && e.getName().indexOf('/') == e.getName().length() - "/data.pkl".length()).forEach(found::add);
        if (found.size() != 1) {
            throw new LsgException(path + ": expected one <folder>/data.pkl entry in the torch archive, found "
                    + found.size());
        }
        return found.getFirst();
    }

    private static ByteOrder byteOrder(Path path, ZipFile zip, String prefix) {
        ZipEntry entry = zip.getEntry(prefix + "byteorder");
        if (entry == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        String text = new String(readEntry(path, zip, entry, 16), StandardCharsets.US_ASCII).strip();
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new LsgException(path + ": archive entry " + entry.getName()
                    + " must be 'little' or 'big', found '" + LsgException.excerpt(text) + "'");
        };
    }

    /** An entry's bytes, refused past {@code limit} bytes whatever size the archive declares for it. */
    private static byte[] readEntry(Path path, ZipFile zip, ZipEntry entry, long limit) {
        checkRatio(path, entry);
        if (entry.getSize() > limit) {
            throw new LsgException(path + ": archive entry " + entry.getName() + " has " + entry.getSize()
                    + " bytes, more than the " + Limits.bytes(limit) + " lsg4j reads for it");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                throw new LsgException(path + ": archive entry " + entry.getName() + " inflates to more than the "
                        + Limits.bytes(limit) + " lsg4j reads for it");
            }
            return bytes;
        } catch (IOException e) {
            throw new LsgException(path + ": cannot read archive entry " + entry.getName() + " ("
                    + e.getMessage() + ")", e);
        }
    }

    private static void closeQuietly(ZipFile zip, RuntimeException primary) {
        try {
            zip.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
