package org.lsg4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.lsg4j.LsgException;

/**
 * The index of a sharded checkpoint ({@code model.safetensors.index.json} or
 * {@code pytorch_model.bin.index.json}): its {@code weight_map} from tensor name to shard file name.
 */
record ShardIndex(Path file, Map<String, String> weightMap) {
    ShardIndex {
        weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
    }

    /**
     * Reads and checks an index file: shard names must be plain file names in the index's folder.
     *
     * @throws LsgException naming the index if it cannot be read or is malformed
     */
    static ShardIndex read(Path file) {
        JsonNode root = InputFiles.readJsonObject(file, Limits.INDEX_BYTES, "shard index");
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new LsgException(file + ": shard index has no 'weight_map' object");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode shard = e.getValue();
            if (!shard.isTextual() || !isPlainFileName(shard.textValue())) {
                throw new LsgException(file + ": weight_map entry '" + LsgException.excerpt(e.getKey())
                        + "' must name a shard file in the same folder, found " + StrictJson.kind(shard));
            }
            if (weightMap.size() == Limits.TENSORS) {
                throw new LsgException(file + ": weight_map lists more than " + Limits.TENSORS + " tensors");
            }
            weightMap.put(e.getKey(), shard.textValue());
        }
        return new ShardIndex(file, weightMap);
    }

    /** Shard file names, in order of first use. */
    Set<String> shards() {
        return new LinkedHashSet<>(weightMap.values());
    }

    private static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == '\\' || c == 0);
    }
}
