package org.lsg4j.server;

import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.LsgGeometry;
import org.lsg4j.model.SparseSources;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POST /attention: what one query block of a document attends to, drawn from the model's own
 * geometry and selection. Request {@code {"text", "block", "layer", "head"}}; the answer lists the
 * document's tokens (with character offsets), the geometry, and for the block: its queries, its
 * local keys {@code [from, to)}, the global tokens, and each sparse key of its two windows with
 * the ordinary positions it was made from ({@link SparseSources}: for norm, lsh, pooling and
 * bos_pooling the selection on this very document). Positions count ordinary rows (global tokens
 * apart) in the padded length; positions at or past {@code tokens} are padding. A text longer than
 * the model is cut to it ({@code truncated}). The last few selections are kept, so that clicking
 * through the blocks of one document runs the model once per layer and head.
 */
final class AttentionApi {
    private static final int CACHED = 8;

    private final ServedModel model;
    private final Inference inference;
    private final Map<Key, Selection> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Selection> eldest) {
            return size() > CACHED;
        }
    };

    private record Key(String text, int layer, int head) {
    }

    /** A document's encoding and one layer and head's sparse sources (null without sparse keys). */
    private record Selection(Encoding encoding, boolean truncated, LsgGeometry geometry, SparseSources sources) {
    }

    AttentionApi(ServedModel model, Inference inference) {
        this.model = model;
        this.inference = inference;
    }

    Object attention(Fields body, long started) {
        String text = body.string("text");
        if (text.isEmpty()) {
            throw ApiError.validation("`text` must not be empty");
        }
        LsgConfig c = model.config();
        int layer = body.integer("layer", 0, 0, model.model().model().layerApplications() - 1);
        int head = body.integer("head", 0, 0, c.numAttentionHeads() - 1);
        Selection s = select(new Key(text, layer, head), started);
        LsgGeometry geo = s.geometry();
        int block = body.integer("block", 0, 0, geo.blocks() - 1);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tokens", tokens(s.encoding(), text));
        out.put("truncated", s.truncated());
        out.put("geometry", geometry(geo, c));
        out.put("layer", layer);
        out.put("head", head);
        out.put("block", block);
        int b = geo.longPath() ? c.blockSize() : geo.paddedLength();
        out.put("queries", List.of(block * b, Math.min(geo.paddedLength(), (block + 1) * b)));
        out.put("local", geo.longPath() ? List.of(geo.localFrom(block), geo.localTo(block))
                : List.of(0, geo.paddedLength()));
        out.put("global", c.numGlobalTokens());
        List<Map<String, Object>> sparse = new ArrayList<>();
        if (s.sources() != null) {
            for (int slot : geo.window(block)) {
                if (slot < 0) {
                    continue;   // past the sparse sequence: a zero key the mask hides
                }
                Map<String, Object> key = new LinkedHashMap<>();
                key.put("slot", slot);
                key.put("visible", s.sources().visible(slot));
                key.put("sources", s.sources().sources(slot));
                key.put("weights", s.sources().weights(slot));
                sparse.add(key);
            }
        }
        out.put("sparse", sparse);
        return out;
    }

    private Selection select(Key key, long started) {
        synchronized (cache) {
            Selection hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        TaskModel m = model.model();
        Encoding full = m.tokenizer().encode(key.text());
        boolean truncated = full.length() > m.maxTokens();
        Encoding e = truncated ? m.tokenizer().encodeBatch(List.of(TextInput.of(key.text())),
                org.lsg4j.tokenizer.BatchOptions.defaults()
                        .withTruncation(org.lsg4j.tokenizer.Truncation.longestFirst(m.maxTokens()))).get(0) : full;
        LsgGeometry geo = LsgGeometry.of(model.config(), e.length());
        SparseSources sources = inference.run(new Kinds.Attention(model, key.layer(), key.head()), 1,
                () -> List.of(new Inference.Job<>(e, e.length())), started).get(0);
        Selection s = new Selection(e, truncated, geo, sources);
        synchronized (cache) {
            cache.put(key, s);
        }
        return s;
    }

    private static List<Map<String, Object>> tokens(Encoding e, String text) {
        List<Map<String, Object>> out = new ArrayList<>(e.length());
        for (int i = 0; i < e.length(); i++) {
            boolean special = e.sequenceId(i) < 0;
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", e.id(i));
            t.put("text", special ? e.token(i) : text.substring(e.start(i), e.end(i)));
            t.put("special", special);
            t.put("start", e.start(i));
            t.put("end", e.end(i));
            out.add(t);
        }
        return out;
    }

    private static Map<String, Object> geometry(LsgGeometry geo, LsgConfig c) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("tokens", geo.tokens());
        g.put("padded_length", geo.paddedLength());
        g.put("long_path", geo.longPath());
        g.put("blocks", geo.blocks());
        g.put("block_size", c.blockSize());
        g.put("sparse_block_size", c.sparseBlockSize());
        g.put("sparsity_type", c.sparsityType().configName());
        g.put("sparsity_factor", c.sparsityFactor());
        g.put("sparse_length", geo.sparseLength());
        g.put("global_tokens", c.numGlobalTokens());
        g.put("mask_first_token", c.maskFirstToken());
        g.put("keys_per_query", geo.keysPerQuery());
        return g;
    }
}
