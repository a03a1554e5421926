package org.lsg4j.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgModel;
import org.lsg4j.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A byte-level BPE tokenizer small enough for the fixture models (vocab_size 300 or 1000, no
 * tokenizer of their own): the specials {@code <s>}=0, {@code <pad>}=1, {@code </s>}=2,
 * {@code <unk>}=3, the 256 byte symbols, {@code <mask>}, and a few merges; {@value #SIZE} ids.
 */
final class TinyTokenizerFolder {
    static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures", "lsg-roberta");
    private static final List<String[]> MERGES = List.of(
            new String[] {"Ġ", "t"}, new String[] {"h", "e"}, new String[] {"Ġt", "he"}, new String[] {"i", "n"},
            new String[] {"Ġ", "a"}, new String[] {"e", "r"}, new String[] {"o", "n"}, new String[] {"Ġ", "s"},
            new String[] {"r", "e"}, new String[] {"a", "t"}, new String[] {"Ġ", "P"}, new String[] {"a", "r"},
            new String[] {"i", "s"}, new String[] {"Ġ", "c"}, new String[] {"in", "g"});
    static final int SIZE = 4 + 256 + 1 + 15;

    private TinyTokenizerFolder() {
    }

    /** Writes vocab.json and merges.txt into {@code dir} and loads the tokenizer. */
    static Tokenizer create(Path dir) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String special : List.of("<s>", "<pad>", "</s>", "<unk>")) {
            vocab.put(special, vocab.size());
        }
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(byteSymbol(b)), vocab.size());
        }
        vocab.put("<mask>", vocab.size());
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        for (String[] m : MERGES) {
            vocab.put(m[0] + m[1], vocab.size());
            merges.append(m[0]).append(' ').append(m[1]).append('\n');
        }
        try {
            Files.writeString(dir.resolve("vocab.json"), new ObjectMapper().writeValueAsString(vocab));
            Files.writeString(dir.resolve("merges.txt"), merges);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Tokenizer.load(dir);
    }

    /** A fixture model with the tiny tokenizer. */
    static TaskModel taskModel(String fixture, Head head, Path tokenizerDir) {
        return new TaskModel(LsgModel.load(FIXTURES.resolve(fixture), head), create(tokenizerDir));
    }

    /** The GPT-2 byte-to-symbol table: printable Latin-1 bytes stand for themselves, the others for 256 + n. */
    private static char byteSymbol(int b) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
            return (char) b;
        }
        int n = 0;
        for (int x = 0; x < b; x++) {
            if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF))) {
                n++;
            }
        }
        return (char) (256 + n);
    }
}
