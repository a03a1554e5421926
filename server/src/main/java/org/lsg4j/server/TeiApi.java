package org.lsg4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.pipelines.Classification;
import org.lsg4j.pipelines.FunctionToApply;
import org.lsg4j.pipelines.LabelScore;
import org.lsg4j.pipelines.LabelSelection;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.pipelines.TextClassificationOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.Tokenizer;
import org.lsg4j.tokenizer.TextInput;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The endpoints of text-embeddings-inference (its OpenAPI document): requests, responses and
 * statuses as TEI has them. Embeddings come from the checkpoint's encoder with the server's
 * {@code --pooling}; /predict and /rerank need a sequence-classification checkpoint (/rerank one
 * with a single label, as TEI's re-rankers), else 424.
 */
final class TeiApi {
    private final ServedModel model;
    private final ServerOptions options;
    private final Inference inference;

    TeiApi(ServedModel model, ServerOptions options, Inference inference) {
        this.model = model;
        this.options = options;
        this.inference = inference;
    }

    /** POST /embed: one pooled vector per input, normalised unless {@code normalize: false}. */
    Object embed(Fields body, long started) {
        Inputs.Parsed parsed = Inputs.tei(body, "inputs", options.maxClientBatchSize(), vocab());
        return pooled(parsed, names(parsed, "inputs"), truncate(body), body.bool("normalize", true), dimensions(body), started, new int[1]);
    }

    /** POST /embed_all: every token's vector, per input. */
    Object embedAll(Fields body, long started) {
        Inputs.Parsed parsed = Inputs.tei(body, "inputs", options.maxClientBatchSize(), vocab());
        boolean truncate = truncate(body);
        return inference.run(new Kinds.AllTokens(model), parsed.inputs().size(),
                () -> encodeAll(parsed, truncate, names(parsed, "inputs")), started);
    }

    /** POST /similarity: the cosine similarity of the source sentence with each sentence. */
    Object similarity(Fields body, long started) {
        Fields in = body.object("inputs");
        String source = in.string("source_sentence");
        List<String> sentences = in.strings("sentences", null);
        if (sentences == null) {
            throw ApiError.validation("`inputs.sentences` is required");
        }
        if (sentences.isEmpty()) {
            throw ApiError.empty("inputs.sentences");
        }
        Inputs.checkBatch(sentences.size() + 1, options.maxClientBatchSize());
        Fields parameters = body.object("parameters");
        boolean truncate = truncate(parameters);
        List<Inputs.Input> all = new ArrayList<>();
        all.add(Inputs.Input.text(source));
        sentences.forEach(s -> all.add(Inputs.Input.text(s)));
        List<float[]> vectors = pooled(new Inputs.Parsed(all, false),
                i -> i == 0 ? "inputs.source_sentence" : "inputs.sentences[" + (i - 1) + "]", truncate, false, null, started,
                new int[1]);
        List<Float> out = new ArrayList<>(sentences.size());
        for (int i = 1; i < vectors.size(); i++) {
            out.add(cosine(vectors.get(0), vectors.get(i)));
        }
        return out;
    }

    /** POST /v1/embeddings: OpenAI's embeddings API (always normalised; float or base64). */
    Object openAi(Fields body, long started) {
        String format = body.string("encoding_format", "float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiError.validation("`encoding_format` must be float or base64, found " + format);
        }
        String requested = body.string("model", null);
        if (requested != null && !requested.equals(servedName())) {
            model.log().accept("/v1/embeddings: model \"" + requested + "\" asked, serving \""
                    + servedName() + "\"");
        }
        Inputs.Parsed parsed = Inputs.tei(body, "input", options.maxClientBatchSize(), vocab());
        int[] tokens = new int[1];
        List<float[]> vectors = pooled(parsed, names(parsed, "input"), options.autoTruncate(), true, dimensions(body), started, tokens);
        List<Map<String, Object>> data = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("object", "embedding");
            e.put("embedding", format.equals("float") ? vectors.get(i) : base64(vectors.get(i)));
            e.put("index", i);
            data.add(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", data);
        out.put("model", servedName());
        out.put("usage", Map.of("prompt_tokens", tokens[0], "total_tokens", tokens[0]));
        return out;
    }

    /** POST /predict: every label's score, best first (softmax, or sigmoid for one label, unless raw_scores). */
    Object predict(Fields body, long started) {
        model.require(Head.SEQUENCE_CLASSIFICATION, "/predict");
        Inputs.Parsed parsed = Inputs.predict(body, options.maxClientBatchSize());
        List<List<Map<String, Object>>> out = new ArrayList<>();
        for (Classification c : classify(parsed.inputs(), truncate(body), body.bool("raw_scores", false), started)) {
            List<Map<String, Object>> predictions = new ArrayList<>();
            for (LabelScore s : c.labels()) {
                predictions.add(ordered("score", (float) s.score(), "label", s.label()));
            }
            out.add(predictions);
        }
        return parsed.single() ? out.get(0) : out;
    }

    /** POST /rerank: each text's relevance to the query, best first. */
    Object rerank(Fields body, long started) {
        String query = body.string("query");
        List<String> texts = body.strings("texts", null);
        if (texts == null) {
            throw ApiError.validation("`texts` is required");
        }
        if (texts.isEmpty()) {
            throw ApiError.empty("texts");
        }
        if (!model.reranker()) {
            throw ApiError.noHead("model is not a re-ranker model: /rerank needs a sequence-classification checkpoint"
                    + " with one label, " + model.name() + " is a " + model.model().model().architecture() + " with "
                    + model.config().numLabels() + " labels");
        }
        Inputs.checkBatch(texts.size(), options.maxClientBatchSize());
        List<Inputs.Input> pairs = texts.stream().map(t -> new Inputs.Input(query, t, null)).toList();
        List<Classification> scored = classify(pairs, truncate(body), body.bool("raw_scores", false), started);
        boolean returnText = body.bool("return_text", false);
        List<Map<String, Object>> ranks = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Map<String, Object> r = ordered("index", i, "score", (float) scored.get(i).labels().get(0).score());
            if (returnText) {
                r.put("text", texts.get(i));
            }
            ranks.add(r);
        }
        ranks.sort((a, b) -> Float.compare((float) b.get("score"), (float) a.get("score")));
        return ranks;
    }

    /** POST /tokenize: per input its tokens {id, text, special, start, stop}, offsets in UTF-8 bytes as TEI's. */
    Object tokenize(Fields body) {
        JsonNode v = body.raw("inputs");
        List<String> texts;
        boolean single = v != null && v.isTextual();
        texts = single ? List.of(v.textValue()) : body.strings("inputs", null);
        if (texts == null) {
            throw ApiError.validation("`inputs` is required");
        }
        if (texts.isEmpty()) {
            throw ApiError.empty("inputs");
        }
        Inputs.checkBatch(texts.size(), options.maxClientBatchSize());
        boolean special = body.bool("add_special_tokens", true);
        Tokenizer tokenizer = model.model().tokenizer();
        List<List<Map<String, Object>>> out = new ArrayList<>();
        for (String text : texts) {
            Encoding e = tokenizer.encode(text, special);
            int[] bytes = utf8Offsets(text);
            List<Map<String, Object>> tokens = new ArrayList<>(e.length());
            for (int i = 0; i < e.length(); i++) {
                boolean isSpecial = e.sequenceId(i) < 0;
                Map<String, Object> t = ordered("id", e.id(i), "text",
                        isSpecial ? e.token(i) : text.substring(e.start(i), e.end(i)));
                t.put("special", isSpecial);
                t.put("start", isSpecial ? null : bytes[e.start(i)]);
                t.put("stop", isSpecial ? null : bytes[e.end(i)]);
                tokens.add(t);
            }
            out.add(tokens);
        }
        return out;
    }

    /** POST /decode: the text of each list of ids. */
    Object decode(Fields body) {
        JsonNode v = body.raw("ids");
        if (v == null || v.isNull()) {
            throw ApiError.validation("`ids` is required");
        }
        if (!v.isArray()) {
            throw body.wrong("ids", "a list of token ids or a list of such lists", v);
        }
        if (v.isEmpty()) {
            throw ApiError.empty("ids");
        }
        boolean single = v.get(0).isNumber();
        List<JsonNode> lists = new ArrayList<>();
        if (single) {
            lists.add(v);
        } else {
            Inputs.checkBatch(v.size(), options.maxClientBatchSize());
            v.forEach(lists::add);
        }
        boolean skip = body.bool("skip_special_tokens", true);
        Tokenizer tokenizer = model.model().tokenizer();
        List<String> out = new ArrayList<>();
        for (int l = 0; l < lists.size(); l++) {
            JsonNode ids = lists.get(l);
            String at = single ? "ids" : "ids[" + l + "]";
            if (!ids.isArray()) {
                throw ApiError.validation("`" + at + "` must be a list of token ids, found " + Fields.kind(ids));
            }
            int[] values = new int[ids.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode x = ids.get(i);
                if (!x.isIntegralNumber() || !x.canConvertToInt() || x.intValue() < 0 || x.intValue() >= vocab()) {
                    throw ApiError.validation("`" + at + "[" + i + "]` must be a token id in [0, " + vocab()
                            + ") (vocab_size), found " + Fields.kind(x));
                }
                values[i] = x.intValue();
            }
            out.add(tokenizer.decode(values, skip));
        }
        return out;
    }

    /** GET /info: TEI's fields, and lsg4j's under {@code lsg}. */
    Object info() {
        LsgConfig c = model.config();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_id", servedName());
        out.put("model_sha", null);
        out.put("model_dtype", "float32");
        out.put("model_type", modelType());
        out.put("max_concurrent_requests", options.maxConcurrentRequests());
        out.put("max_input_length", model.model().maxTokens());
        out.put("max_batch_tokens", options.maxBatchTokens());
        out.put("max_batch_requests", options.maxBatchRequests());
        out.put("max_client_batch_size", options.maxClientBatchSize());
        out.put("auto_truncate", options.autoTruncate());
        out.put("tokenization_workers", 0);
        out.put("version", LsgServer.VERSION);
        out.put("sha", null);
        out.put("docker_label", null);
        Map<String, Object> lsg = new LinkedHashMap<>();
        lsg.put("model", model.name());
        lsg.put("architecture", model.model().model().architecture());
        lsg.put("tasks", model.tasks());
        lsg.put("pooling", options.pooling().name().toLowerCase(java.util.Locale.ROOT));
        lsg.put("threads", model.workers().count());
        lsg.put("layers", model.model().model().layerApplications());
        lsg.put("heads", c.numAttentionHeads());
        lsg.put("block_size", c.blockSize());
        lsg.put("sparse_block_size", c.sparseBlockSize());
        lsg.put("sparsity_type", c.sparsityType().configName());
        lsg.put("sparsity_factor", c.sparsityFactor());
        lsg.put("num_global_tokens", c.numGlobalTokens());
        lsg.put("labels", c.id2label());
        lsg.put("api_key", options.apiKey() != null);
        out.put("lsg", lsg);
        return out;
    }

    private Object modelType() {
        LsgConfig c = model.config();
        if (model.head() == Head.SEQUENCE_CLASSIFICATION) {
            Map<String, Object> id2label = new LinkedHashMap<>();
            Map<String, Object> label2id = new LinkedHashMap<>();
            for (int i = 0; i < c.numLabels(); i++) {
                id2label.put(Integer.toString(i), c.id2label().get(i));
                label2id.put(c.id2label().get(i), i);
            }
            return Map.of(model.reranker() ? "reranker" : "classifier",
                    ordered("id2label", id2label, "label2id", label2id));
        }
        return Map.of("embedding", Map.of("pooling", options.pooling().name().toLowerCase(java.util.Locale.ROOT)));
    }

    private List<Classification> classify(List<Inputs.Input> inputs, boolean truncate, boolean raw, long started) {
        TaskModel m = model.model();
        FunctionToApply f = raw ? FunctionToApply.NONE
                : model.config().numLabels() == 1 ? FunctionToApply.SIGMOID : FunctionToApply.SOFTMAX;
        TextClassificationOptions o = TextClassificationOptions.defaults().withLabels(LabelSelection.all())
                .withFunctionToApply(f).withMaxLength(truncate ? m.maxTokens() : null);
        return inference.run(new Kinds.Classify(model, o), inputs.size(), () -> {
            List<Inference.Job<TextInput>> jobs = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                Encoding e = Inputs.encode(m, inputs.get(i), truncate, inputs.size() == 1 ? "inputs" : "inputs[" + i + "]");
                jobs.add(new Inference.Job<>(inputs.get(i).textInput(), e.length()));
            }
            return jobs;
        }, started);
    }

    /** The pooled vectors of the inputs, cut to {@code dimensions} and then normalised when asked; counts tokens. */
    private List<float[]> pooled(Inputs.Parsed parsed, IntFunction<String> field, boolean truncate, boolean normalize,
                                 Integer dimensions, long started, int[] tokens) {
        int hidden = model.config().hiddenSize();
        if (dimensions != null && dimensions > hidden) {
            throw ApiError.validation("`dimensions` should be smaller than the maximum embedding dimension " + hidden
                    + ", got " + dimensions);
        }
        List<Inference.Job<Encoding>> jobs = new ArrayList<>();
        List<float[]> vectors = inference.run(new Kinds.Embed(model, options.pooling()), parsed.inputs().size(), () -> {
            jobs.addAll(encodeAll(parsed, truncate, field));
            return jobs;
        }, started);
        tokens[0] = jobs.stream().mapToInt(Inference.Job::tokens).sum();
        List<float[]> out = new ArrayList<>(vectors.size());
        for (float[] v : vectors) {
            float[] cut = dimensions == null ? v : java.util.Arrays.copyOf(v, dimensions);
            if (normalize) {
                normalize(cut);
            }
            out.add(cut);
        }
        return out;
    }

    /** How the inputs are named in messages: {@code inputs} for one, {@code inputs[i]} in a list. */
    private static IntFunction<String> names(Inputs.Parsed parsed, String field) {
        return i -> parsed.single() ? field : field + "[" + i + "]";
    }

    private List<Inference.Job<Encoding>> encodeAll(Inputs.Parsed parsed, boolean truncate, IntFunction<String> field) {
        List<Inference.Job<Encoding>> jobs = new ArrayList<>();
        TaskModel m = model.model();
        for (int i = 0; i < parsed.inputs().size(); i++) {
            Encoding e = Inputs.encode(m, parsed.inputs().get(i), truncate, field.apply(i));
            jobs.add(new Inference.Job<>(e, e.length()));
        }
        return jobs;
    }

    private boolean truncate(Fields f) {
        Inputs.checkDirection(f);
        return f.bool("truncate", options.autoTruncate());
    }

    private static Integer dimensions(Fields body) {
        return body.integer("dimensions", null, 1, Integer.MAX_VALUE);
    }

    /** --served-model-name, else the model as given. */
    private String servedName() {
        return options.servedModelName() != null ? options.servedModelName() : model.name();
    }

    private int vocab() {
        return model.config().vocabSize();
    }

    /** Unit length, the sum of squares in double as {@code lsg embed --normalize}. */
    private static void normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        double scale = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (v[j] * scale);
        }
    }

    private static float cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return (float) (dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-12));
    }

    private static String base64(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            bytes.putFloat(x);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** For each char index of {@code text} (and its end), the UTF-8 byte offset. */
    private static int[] utf8Offsets(String text) {
        int[] out = new int[text.length() + 1];
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            out[i] = bytes;
            char ch = text.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out[++i] = bytes;   // inside a pair: the pair's start
                bytes += 4;
            } else {
                bytes += ch < 0x80 ? 1 : ch < 0x800 ? 2 : 3;
            }
        }
        out[text.length()] = bytes;
        return out;
    }

    /** A map that keeps the order the fields are given in (JSON object order). */
    static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
