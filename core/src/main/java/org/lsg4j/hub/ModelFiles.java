package org.lsg4j.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.lsg4j.LsgException;

/** The files lsg4j needs from a model repository, and whether a snapshot folder holds them. */
final class ModelFiles {
    static final String CONFIG = "config.json";
    static final String SAFETENSORS = "model.safetensors";
    static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    static final String PYTORCH = "pytorch_model.bin";

    /** Tokenizer files: each is fetched when the repository has it. */
    static final List<String> TOKENIZER = List.of("tokenizer.json", "vocab.json", "merges.txt",
            "tokenizer_config.json", "special_tokens_map.json");

    /** Weight files in order of preference; the first one the repository has is used. */
    static final List<String> WEIGHTS = List.of(SAFETENSORS, SAFETENSORS_INDEX, PYTORCH);

    private ModelFiles() {
    }

    /** The shard files named in the {@code weight_map} of a safetensors index, sorted, each once. */
    static List<String> shards(Path indexFile) {
        JsonNode weightMap = org.lsg4j.io.InputFiles.readJson(indexFile, org.lsg4j.io.Limits.INDEX_BYTES, "weight index")
                .path("weight_map");
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new LsgException("The weight index " + indexFile + " has no \"weight_map\" entries");
        }
        TreeSet<String> shards = new TreeSet<>();
        for (JsonNode entry : weightMap) {
            String shard = entry.asText();
            if (shard.isEmpty() || shard.startsWith("/") || ("/" + shard + "/").contains("/../")) {
                throw new LsgException("The weight index " + indexFile + " names an unusable shard file '"
                        + LsgException.excerpt(shard) + "'");
            }
            shards.add(shard);
        }
        return List.copyOf(shards);
    }

    /**
     * What a snapshot folder lacks to be loaded: the config and one complete set of weights. Tokenizer
     * files are optional and not checked.
     *
     * @return a description of the first missing file, or empty when the snapshot is complete
     */
    static Optional<String> missingIn(Path snapshot) {
        if (!Files.isRegularFile(snapshot.resolve(CONFIG))) {
            return Optional.of("no " + CONFIG + " in " + snapshot);
        }
        if (Files.isRegularFile(snapshot.resolve(SAFETENSORS)) || Files.isRegularFile(snapshot.resolve(PYTORCH))) {
            return Optional.empty();
        }
        Path index = snapshot.resolve(SAFETENSORS_INDEX);
        if (!Files.isRegularFile(index)) {
            return Optional.of("no weights (" + String.join(", ", WEIGHTS) + ") in " + snapshot);
        }
        return shards(index).stream()
                .filter(shard -> !Files.isRegularFile(snapshot.resolve(shard)))
                .findFirst()
                .map(shard -> "weight shard " + shard + " is missing from " + snapshot);
    }
}
