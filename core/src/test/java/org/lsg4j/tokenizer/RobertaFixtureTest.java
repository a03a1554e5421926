package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every record of roberta-base.jsonl must come out exactly as the reference tokenizer gave it. */
class RobertaFixtureTest {
    private final Tokenizer tokenizer = Fixtures.robertaBase();

    @Test
    void everyRecordMatchesTheReference() {
        List<String> failures = new ArrayList<>();
        List<JsonNode> records = Fixtures.records();
        assertTrue(records.size() >= 585, "fixture records: " + records.size());
        for (JsonNode r : records) {
            try {
                check(r);
            } catch (AssertionError e) {
                failures.add(r.get("id").asText() + " (" + r.get("kind").asText() + "): " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " records differ");
    }

    private void check(JsonNode r) {
        String text = r.get("text").asText();
        String pair = r.get("pair").isNull() ? null : r.get("pair").asText();
        Encoding full = pair == null ? tokenizer.encode(text) : tokenizer.encodePair(text, pair, true);
        Encoding plain = pair == null ? tokenizer.encode(text, false) : tokenizer.encodePair(text, pair, false);

        assertEquals(ints(r.get("ids")), list(full.ids()), "ids");
        assertEquals(strings(r.get("tokens")), full.tokens(), "tokens");
        assertEquals(codePointOffsets(r.get("offsets"), full, text, pair), offsets(full), "offsets");
        assertEquals(ints(r.get("ids_no_special")), list(plain.ids()), "ids_no_special");
        assertEquals(codePointOffsets(r.get("offsets_no_special"), plain, text, pair), offsets(plain), "offsets_no_special");
        for (int i = 0; i < full.length(); i++) {
            assertEquals(1, full.attentionMask()[i], "attention mask");
        }
        assertEquals(r.get("decoded").asText(), tokenizer.decode(full.ids(), false), "decoded");
        assertEquals(r.get("decoded_skip_special").asText(), tokenizer.decode(full.ids(), true), "decoded_skip_special");
        for (int max : new int[] {16, 4096}) {
            JsonNode expected = r.get("truncated_" + max);
            Encoding truncated = tokenizer.encodeBatch(List.of(new TextInput(text, pair)),
                    BatchOptions.defaults().withTruncation(Truncation.longestFirst(max))).get(0);
            if (expected == null) {
                assertEquals(list(full.ids()), list(truncated.ids()), "truncation to " + max + " changes nothing");
            } else {
                assertEquals(ints(expected.get("ids")), list(truncated.ids()), "truncated_" + max + " ids");
                assertEquals(strings(expected.get("tokens")), truncated.tokens(), "truncated_" + max + " tokens");
                assertEquals(codePointOffsets(expected.get("offsets"), truncated, text, pair), offsets(truncated),
                        "truncated_" + max + " offsets");
            }
        }
    }

    /** The reference's code point offsets turned into UTF-16 indices of the string each token came from. */
    private static List<List<Integer>> codePointOffsets(JsonNode offsets, Encoding e, String text, String pair) {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < offsets.size(); i++) {
            String source = i < e.length() && e.sequenceId(i) == 1 ? pair : text;
            int start = offsets.get(i).get(0).asInt();
            int end = offsets.get(i).get(1).asInt();
            out.add(List.of(source.offsetByCodePoints(0, start), source.offsetByCodePoints(0, end)));
        }
        return out;
    }

    private static List<List<Integer>> offsets(Encoding e) {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < e.length(); i++) {
            out.add(List.of(e.start(i), e.end(i)));
        }
        return out;
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

    private static List<Integer> list(int[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return out;
    }
}
