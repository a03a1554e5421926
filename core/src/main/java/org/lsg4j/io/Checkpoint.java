package org.lsg4j.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;

/**
 * The weights of a model folder, in any of the layouts Hugging Face writes: a single
 * {@code model.safetensors}, safetensors shards listed by {@code model.safetensors.index.json}, a
 * single {@code pytorch_model.bin}, or {@code .bin} shards listed by
 * {@code pytorch_model.bin.index.json}. Safetensors is preferred when several are present.
 *
 * <p>All files are opened and validated up front. Reads are thread-safe and return fresh copies.
 * {@link #close()} releases every file.
 */
public final class Checkpoint implements AutoCloseable {
    /** The layouts, in order of preference. */
    private enum Layout {
        SAFETENSORS("model.safetensors", false, SafeTensorsWeights::open),
        SAFETENSORS_SHARDED("model.safetensors.index.json", true, SafeTensorsWeights::open),
        TORCH("pytorch_model.bin", false, TorchWeights::open),
        TORCH_SHARDED("pytorch_model.bin.index.json", true, TorchWeights::open);

        final String fileName;
        final boolean sharded;
        final Function<Path, WeightFile> opener;

        Layout(String fileName, boolean sharded, Function<Path, WeightFile> opener) {
            this.fileName = fileName;
            this.sharded = sharded;
            this.opener = opener;
        }
    }

    private final Path dir;
    private final List<WeightFile> files;
    private final Map<String, WeightFile> byKey;

    private Checkpoint(Path dir, List<WeightFile> files, Map<String, WeightFile> byKey) {
        this.dir = dir;
        this.files = List.copyOf(files);
        this.byKey = Collections.unmodifiableMap(byKey);
    }

    /**
     * Opens the weights of a model folder.
     *
     * @throws LsgException if the folder holds none of the known weight files, or one is malformed
     */
    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LsgException(dir + ": not a folder; expected a model folder holding the weights");
        }
        for (Layout layout : Layout.values()) {
            Path file = dir.resolve(layout.fileName);
            if (Files.isRegularFile(file)) {
                return layout.sharded ? openSharded(dir, ShardIndex.read(file), layout.opener)
                        : openSingle(dir, layout.opener.apply(file));
            }
        }
        List<String> names = new ArrayList<>();
        for (Layout layout : Layout.values()) {
            names.add(layout.fileName);
        }
        throw new LsgException(dir + ": no model weights found; looked for " + String.join(", ", names));
    }

    private static Checkpoint openSingle(Path dir, WeightFile file) {
        Map<String, WeightFile> byKey = new LinkedHashMap<>();
        for (String key : file.keys()) {
            byKey.put(key, file);
        }
        return new Checkpoint(dir, List.of(file), byKey);
    }

    private static Checkpoint openSharded(Path dir, ShardIndex index, Function<Path, WeightFile> opener) {
        Map<String, WeightFile> shards = new LinkedHashMap<>();
        try {
            for (String shard : index.shards()) {
                Path path = dir.resolve(shard);
                if (!Files.isRegularFile(path)) {
                    throw new LsgException(index.file() + ": shard '" + shard + "' is missing (" + path + ")");
                }
                shards.put(shard, opener.apply(path));
            }
            Map<String, WeightFile> byKey = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : index.weightMap().entrySet()) {
                WeightFile shard = shards.get(e.getValue());
                if (!shard.contains(e.getKey())) {
                    throw new LsgException(index.file() + ": key '" + e.getKey() + "' is listed in shard '"
                            + e.getValue() + "' but that shard does not hold it");
                }
                byKey.put(e.getKey(), shard);
            }
            return new Checkpoint(dir, new ArrayList<>(shards.values()), byKey);
        } catch (RuntimeException e) {
            shards.values().forEach(WeightFile::close);
            throw e;
        }
    }

    /** Every tensor name, in file (or index) order. */
    public Set<String> keys() {
        return byKey.keySet();
    }

    /** Whether the checkpoint holds a tensor with this name. */
    public boolean contains(String key) {
        return byKey.containsKey(key);
    }

    /**
     * Shape of a tensor.
     *
     * @throws LsgException naming the key and folder if absent
     */
    public int[] shape(String key) {
        return file(key).shape(key);
    }

    /**
     * A fresh float32 copy of a tensor.
     *
     * @throws LsgException naming the key and folder if absent, or if the tensor is not floating-point
     */
    public FloatTensor get(String key) {
        return file(key).floats(key);
    }

    /** The file that holds a tensor, for messages. */
    public String source(String key) {
        return file(key).path().toString();
    }

    /** Releases every file; reading afterwards fails. */
    @Override
    public void close() {
        files.forEach(WeightFile::close);
    }

    private WeightFile file(String key) {
        WeightFile file = byKey.get(key);
        if (file == null) {
            String where = files.size() == 1 ? files.getFirst().path().toString() : dir.toString();
            throw new LsgException(where + ": checkpoint has no tensor '" + key + "'");
        }
        return file;
    }
}
