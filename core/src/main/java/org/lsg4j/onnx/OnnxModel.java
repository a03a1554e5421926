package org.lsg4j.onnx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lsg4j.LsgException;

/**
 * An ONNX model file ({@code ModelProto}), memory-mapped and decoded without a protobuf library or
 * ONNX Runtime: the graph's structure is decoded when the file is opened, and initializers' values
 * stay in the mapping until asked for ({@link OnnxTensor#floats}). {@link #close()} unmaps the file;
 * reading tensor values afterwards fails with an {@link LsgException}. The decoded graph is immutable;
 * tensor values may be read from several threads, but not while the model is being closed.
 */
public final class OnnxModel implements AutoCloseable {
    private final Path file;
    private final Arena arena;
    private final OnnxParser.Parts parts;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxModel(Path file, Arena arena, OnnxParser.Parts parts) {
        this.file = file;
        this.arena = arena;
        this.parts = parts;
    }

    /**
     * Maps {@code file} and decodes its graph.
     *
     * @throws LsgException naming the file and the field when the file cannot be read, is not a
     *     well-formed ONNX model, or uses a feature lsg4j does not read (external data, sparse
     *     initializers, subgraph attributes)
     */
    public static OnnxModel open(Path file) {
        return open(file, file.toString());
    }

    /** Maps {@code file}, which messages call {@code name} (for a temporary copy of a stream). */
    static OnnxModel open(Path file, String name) {
        org.lsg4j.io.InputFiles.requireRegularFile(file, Long.MAX_VALUE, "ONNX file");
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new OnnxModel(file, arena, OnnxParser.parse(bytes, name));
        } catch (IOException e) {
            arena.close();
            throw new LsgException(name + ": cannot read the ONNX file (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Decodes a model held in memory (no mapping); {@code name} stands for the file in messages. */
    static OnnxModel parse(byte[] bytes, String name) {
        return new OnnxModel(Path.of(name), null, OnnxParser.parse(MemorySegment.ofArray(bytes), name));
    }

    public Path path() {
        return file;
    }

    /** {@code ir_version}: the version of the ONNX file format. */
    public long irVersion() {
        return parts.irVersion();
    }

    /** {@code producer_name} and {@code producer_version}, e.g. {@code pytorch 2.0.1}; empty when absent. */
    public String producer() {
        return (parts.producerName() + " " + parts.producerVersion()).strip();
    }

    /** The operator sets the graph uses: domain ({@code ""} for the default ONNX domain) to version. */
    public Map<String, Long> opsets() {
        return parts.opsets();
    }

    public OnnxGraph graph() {
        return parts.graph();
    }

    /** Unmaps the file. Calling it again does nothing. */
    @Override
    public void close() {
        if (arena != null && closed.compareAndSet(false, true)) {
            arena.close();
        }
    }
}
