package org.lsg4j.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Model folders for the token-classification, question-answering and multiple-choice commands: a
 * ../shared/fixtures/lsg-roberta model (config.json, model.safetensors; no tokenizer of its own)
 * with a byte-level tokenizer whose 261 ids fit its vocabulary: {@code <s> <pad> </s> <unk>},
 * the 256 byte symbols, {@code <mask>}, no merges (every byte is a token).
 */
final class TinyTaskFolders {
    private static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures", "lsg-roberta");

    private TinyTaskFolders() {
    }

    /** Copies fixture {@code name} into {@code dir} with the tokenizer files; returns {@code dir} as a string. */
    static String create(String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String file : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(FIXTURES.resolve(name).resolve(file), dir.resolve(file));
        }
        tokenizer(dir);
        return dir.toString();
    }

    /** Writes the byte-level tokenizer files (vocab.json, merges.txt) into {@code dir}. */
    static void tokenizer(Path dir) throws IOException {
        ObjectNode vocab = JsonNodeFactory.instance.objectNode();
        for (String special : new String[] {"<s>", "<pad>", "</s>", "<unk>"}) {
            vocab.put(special, vocab.size());
        }
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            vocab.put(String.valueOf((char) (printable ? b : 256 + shifted++)), vocab.size());
        }
        vocab.put("<mask>", vocab.size());
        Files.writeString(dir.resolve("vocab.json"), vocab.toString());
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
    }
}
