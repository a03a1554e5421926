package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.io.HfJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of a model folder that make its tokenizer, as {@code tokenizer.save_pretrained}
 * writes them; copied along when a model folder is made from another (conversion, training).
 */
public final class TokenizerFiles {
    /** Every file a tokenizer may be read from, tokenizer_config.json aside. */
    public static final List<String> NAMES = List.of("tokenizer.json", "special_tokens_map.json", "vocab.json",
            "merges.txt", "vocab.txt", "sentencepiece.bpe.model", "spiece.model", "added_tokens.json");
    private static final String CONFIG = "tokenizer_config.json";

    private TokenizerFiles() {
    }

    /**
     * Copies the tokenizer files {@code source} has into {@code target}.
     *
     * @param modelMaxLength the model_max_length to write in tokenizer_config.json, or null to copy it as it is
     * @throws IOException when a file cannot be copied
     */
    public static void copy(Path source, Path target, Integer modelMaxLength) throws IOException {
        boolean any = false;
        for (String f : NAMES) {
            Path file = source.resolve(f);
            if (Files.isRegularFile(file)) {
                Files.copy(file, target.resolve(f));
                any = true;
            }
        }
        Path config = source.resolve(CONFIG);
        if (modelMaxLength == null) {
            if (Files.isRegularFile(config)) {
                Files.copy(config, target.resolve(CONFIG));
            }
            return;
        }
        if (!any && !Files.isRegularFile(config)) {
            return;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode tc;
        try {
            tc = Files.isRegularFile(config) ? (ObjectNode) json.readTree(config.toFile()) : json.createObjectNode();
        } catch (IOException | ClassCastException e) {
            throw new LsgException(config + ": malformed JSON: " + e.getMessage());
        }
        tc.put("model_max_length", modelMaxLength);
        Files.writeString(target.resolve(CONFIG), HfJson.write(tc, false));
    }
}
