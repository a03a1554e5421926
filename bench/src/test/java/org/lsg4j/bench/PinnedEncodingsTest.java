package org.lsg4j.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pinned encodings core's tests check lsg4j against without DJL
 * ({@code core/src/test/resources/tokenizers/pinned.json}) are what the Rust tokenizers gives for
 * the inputs of {@code pinned-inputs.json}. Run with {@code -Dlsg.writePins=true} to write them
 * anew (into the core source tree), after which they are checked as always.
 */
class PinnedEncodingsTest {
    static final Map<String, String> FILES = Map.of(
            "all-minilm-l6-v2", TokenizerFiles.MINILM,
            "unigram-xlmr", "/tokenizers/unigram-xlmr.json.gz",
            "unigram-albert", "/tokenizers/unigram-albert.json.gz",
            "unigram-bytefallback", "/tokenizers/unigram-bytefallback.json");
    private static final Path SOURCE = Path.of("../core/src/test/resources/tokenizers/pinned.json");

    @Test
    void pinsAreWhatTheRustTokenizerGives(@TempDir Path dir) throws IOException {
        JsonNode inputs = TokenizerFiles.resource("/tokenizers/pinned-inputs.json");
        ObjectNode expected = TokenizerFiles.MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> e : inputs.properties()) {
            Path folder = TokenizerFiles.write(dir, e.getKey(), TokenizerFiles.resource(FILES.get(e.getKey())), json -> { });
            expected.set(e.getKey(), pins(folder.resolve("tokenizer.json"), e.getValue()));
        }
        if (Boolean.getBoolean("lsg.writePins")) {
            TokenizerFiles.MAPPER.writerWithDefaultPrettyPrinter().writeValue(SOURCE.toFile(), expected);
        }
        JsonNode pinned = TokenizerFiles.MAPPER.readTree(SOURCE.toFile());
        assertEquals(expected, pinned, "pinned.json is stale: rerun with -Dlsg.writePins=true");
    }

    private static ArrayNode pins(Path file, JsonNode inputs) throws IOException {
        ArrayNode out = TokenizerFiles.MAPPER.createArrayNode();
        try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.newInstance(file,
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"))) {
            for (JsonNode input : inputs) {
                String text = input.get(0).asText();
                String pair = input.size() > 1 ? input.get(1).asText() : null;
                Encoding e = pair == null ? rust.encode(text, true, false) : rust.encode(text, pair, true, false);
                Encoding plain = pair == null ? rust.encode(text, false, false) : rust.encode(text, pair, false, false);
                ObjectNode pin = out.addObject().put("text", text).put("pair", pair);
                ArrayNode ids = pin.putArray("ids");
                ArrayNode tokens = pin.putArray("tokens");
                ArrayNode offsets = pin.putArray("offsets");
                ArrayNode types = pin.putArray("type_ids");
                ArrayNode words = pin.putArray("word_ids");
                ArrayNode sequences = pin.putArray("sequence_ids");
                CharSpan[] spans = e.getCharTokenSpans();
                for (int i = 0; i < e.getIds().length; i++) {
                    ids.add(Math.toIntExact(e.getIds()[i]));
                    tokens.add(e.getTokens()[i]);
                    String source = e.getSequenceIds()[i] == 1 ? pair : text;
                    offsets.addArray().add(spans[i] == null ? 0 : source.offsetByCodePoints(0, spans[i].getStart()))
                            .add(spans[i] == null ? 0 : source.offsetByCodePoints(0, spans[i].getEnd()));
                    types.add(Math.toIntExact(e.getTypeIds()[i]));
                    words.add(Math.toIntExact(e.getWordIds()[i]));
                    sequences.add(Math.toIntExact(e.getSequenceIds()[i]));
                }
                ArrayNode plainIds = pin.putArray("ids_no_special");
                for (long id : plain.getIds()) {
                    plainIds.add(Math.toIntExact(id));
                }
                pin.put("decoded", rust.decode(e.getIds(), false));
                pin.put("decoded_skip_special", rust.decode(e.getIds(), true));
            }
        }
        return out;
    }
}
