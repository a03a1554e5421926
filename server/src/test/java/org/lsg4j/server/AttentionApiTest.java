package org.lsg4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.lsg4j.model.LsgGeometry;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.SparseSources;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /attention: a block's keys as the geometry and the model's own selection give them. */
class AttentionApiTest {

    @Test
    void aBlocksKeysAreTheGeometrysAndTheSelectionsOnThisDocument() {
        for (String fixture : new String[]{"mlm-norm-b16", "text-cls-multilabel-bos_pooling-b32",
                "text-cls-1label-stride-b16"}) {
            try (TestServer s = new TestServer(TestServer.PIPELINES.resolve(fixture))) {
                String text = TestServer.words(200, 7);
                Encoding e = s.model.model().tokenizer().encode(text);
                LsgGeometry geo = LsgGeometry.of(s.model.config(), e.length());
                int block = geo.blocks() / 2;
                TestServer.Reply r = s.post("/attention", TestServer.object().put("text", text).put("block", block)
                        .put("layer", 1).put("head", 2));
                assertEquals(200, r.status(), r.body());
                JsonNode j = r.json();
                assertEquals(e.length(), j.get("tokens").size());
                assertEquals(geo.paddedLength(), j.get("geometry").get("padded_length").asInt());
                assertEquals(geo.blocks(), j.get("geometry").get("blocks").asInt());
                assertTrue(j.get("geometry").get("long_path").asBoolean());
                assertEquals(List.of(geo.localFrom(block), geo.localTo(block)), ints(j.get("local")));
                int b = s.model.config().blockSize();
                assertEquals(List.of(block * b, (block + 1) * b), ints(j.get("queries")));
                assertEquals(s.model.config().numGlobalTokens(), j.get("global").asInt());
                long[] ids = new long[e.length()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = e.id(i);
                }
                SparseSources expected = s.model.model().model().sparseSources(
                        ModelInputs.of(new LongTensor(new int[]{1, ids.length}, ids)), 1, 2, s.model.workers());
                JsonNode sparse = j.get("sparse");
                int k = 0;
                for (int slot : geo.window(block)) {
                    if (slot < 0) {
                        continue;
                    }
                    JsonNode key = sparse.get(k++);
                    assertEquals(slot, key.get("slot").asInt());
                    assertEquals(expected.visible(slot), key.get("visible").asBoolean());
                    List<Integer> src = new ArrayList<>();
                    for (int p : expected.sources(slot)) {
                        src.add(p);
                    }
                    assertEquals(src, ints(key.get("sources")), fixture + " slot " + slot);
                }
                assertEquals(k, sparse.size());
                assertTrue(k > 0, fixture);
                assertEquals(text.substring(e.start(3), e.end(3)), j.get("tokens").get(3).get("text").asText());
                // the same document again comes from the cache, with the same answer
                assertEquals(r.body(), s.post("/attention", TestServer.object().put("text", text).put("block", block)
                        .put("layer", 1).put("head", 2)).body());
            }
        }
    }

    @Test
    void shortDocumentsAndErrors() {
        try (TestServer s = new TestServer(TestServer.PIPELINES.resolve("mlm-norm-b16"))) {
            JsonNode j = s.post("/attention", "{\"text\": \"Hi there\"}").json();
            assertFalse(j.get("geometry").get("long_path").asBoolean());
            assertEquals(0, j.get("sparse").size());
            assertEquals(List.of(0, j.get("geometry").get("padded_length").asInt()), ints(j.get("local")));
            TestServer.Reply bad = s.post("/attention", "{\"text\": \"Hi\", \"block\": 1}");
            assertEquals(422, bad.status(), bad.body());
            assertTrue(bad.body().contains("`block` must be in [0, 0]"), bad.body());
            assertTrue(s.post("/attention", "{\"text\": \"Hi\", \"layer\": 2}").body().contains("`layer` must be in [0, 1]"));
            assertTrue(s.post("/attention", "{\"text\": \"Hi\", \"head\": -1}").body().contains("`head` must be in [0, 3]"));
            assertTrue(s.post("/attention", "{}").body().contains("`text` is required"));
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
