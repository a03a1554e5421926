package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WordPiece and Unigram encodings pinned from the Rust tokenizers ({@code tokenizers/pinned.json},
 * written and kept true by the bench module's PinnedEncodingsTest): ids with and without special
 * tokens, token strings, offsets, type, word and sequence ids, and decoding with and without
 * special tokens, for a few dozen hard inputs per tokenizer.
 */
class PinnedEncodingsTest {
    @ParameterizedTest
    @ValueSource(strings = {TestTokenizers.MINILM, TestTokenizers.XLMR, TestTokenizers.ALBERT, TestTokenizers.BYTE_FALLBACK})
    void encodingsAreTheReferences(String name) throws IOException {
        Tokenizer tokenizer = TestTokenizers.get(name);
        JsonNode pins;
        try (InputStream in = getClass().getResourceAsStream("/tokenizers/pinned.json")) {
            pins = new ObjectMapper().readTree(in).get(name);
        }
        assertTrue(pins.size() >= 30, name + ": " + pins.size() + " pins");
        List<String> failures = new ArrayList<>();
        for (JsonNode pin : pins) {
            String text = pin.get("text").asText();
            String pair = pin.get("pair").isNull() ? null : pin.get("pair").asText();
            Encoding e = pair == null ? tokenizer.encode(text) : tokenizer.encodePair(text, pair, true);
            Encoding plain = pair == null ? tokenizer.encode(text, false) : tokenizer.encodePair(text, pair, false);
            List<String> got = new ArrayList<>();
            List<List<Integer>> offsets = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            List<Integer> words = new ArrayList<>();
            List<Integer> sequences = new ArrayList<>();
            for (int i = 0; i < e.length(); i++) {
                offsets.add(List.of(e.start(i), e.end(i)));
                types.add(e.typeId(i));
                words.add(e.wordId(i));
                sequences.add(e.sequenceId(i));
            }
            String where = name + " " + PropertyTest.escape(text) + (pair == null ? "" : " + " + PropertyTest.escape(pair));
            check(failures, where, "ids", ints(pin.get("ids")), list(e.ids()));
            check(failures, where, "tokens", strings(pin.get("tokens")), e.tokens());
            check(failures, where, "offsets", pairs(pin.get("offsets")), offsets);
            check(failures, where, "type ids", ints(pin.get("type_ids")), types);
            check(failures, where, "word ids", ints(pin.get("word_ids")), words);
            check(failures, where, "sequence ids", ints(pin.get("sequence_ids")), sequences);
            check(failures, where, "ids without special tokens", ints(pin.get("ids_no_special")), list(plain.ids()));
            check(failures, where, "decoded", pin.get("decoded").asText(), tokenizer.decode(e.ids(), false, false));
            check(failures, where, "decoded without special tokens", pin.get("decoded_skip_special").asText(),
                    tokenizer.decode(e.ids(), true, false));
        }
        assertEquals(List.of(), failures);
    }

    private static void check(List<String> failures, String where, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            failures.add(where + ": " + what + " expected " + expected + " but got " + actual);
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<List<Integer>> pairs(JsonNode array) {
        List<List<Integer>> out = new ArrayList<>();
        array.forEach(n -> out.add(List.of(n.get(0).asInt(), n.get(1).asInt())));
        return out;
    }

    private static List<Integer> list(int[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return out;
    }
}
