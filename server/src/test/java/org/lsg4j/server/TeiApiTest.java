package org.lsg4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.Embedding;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.FunctionToApply;
import org.lsg4j.pipelines.LabelSelection;
import org.lsg4j.pipelines.Pooling;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.pipelines.TextClassificationOptions;
import org.lsg4j.pipelines.TextClassificationPipeline;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text-embeddings-inference endpoints on the fixture models: each answer against the lsg4j
 * pipeline run directly (same floats), TEI's response shapes, and each error with its status and
 * a message naming the field.
 */
class TeiApiTest {
    private static TestServer mlm;
    private static TestServer classifier;
    private static TestServer reranker;

    @BeforeAll
    static void start() {
        mlm = new TestServer(TestServer.PIPELINES.resolve("mlm-norm-b16"),
                ServerOptions.defaults().withLimits(4, 20_000));
        classifier = new TestServer(TestServer.PIPELINES.resolve("text-cls-3labels-pooling-b32"));
        reranker = new TestServer(TestServer.PIPELINES.resolve("text-cls-1label-stride-b16"));
    }

    @AfterAll
    static void stop() {
        mlm.close();
        classifier.close();
        reranker.close();
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).floatValue();
        }
        return v;
    }

    private static List<Embedding> direct(List<String> texts, boolean normalize) {
        TaskModel base = TaskModel.load(TestServer.PIPELINES.resolve("mlm-norm-b16"), Head.BASE);
        return new EmbeddingPipeline(base, w -> { }).run(texts.stream().map(TextInput::of).toList(),
                EmbeddingOptions.defaults().withPooling(Pooling.MEAN).withNormalize(normalize).withBatchSize(1));
    }

    private static void assertError(TestServer.Reply r, int status, String type, String... fragments) {
        assertEquals(status, r.status(), r.body());
        JsonNode e = r.json();
        assertEquals(type, e.get("error_type").asText(), r.body());
        for (String f : fragments) {
            assertTrue(e.get("error").asText().contains(f), r.body() + " should say " + f);
        }
    }

    @Test
    void embedGivesThePipelinesVectorsNormalisedOrNot() {
        String a = "A long report about attention.";
        String b = TestServer.words(300, 1);   // long path: 300 words is more than 2 blocks of 16
        TestServer.Reply r = mlm.post("/embed", "{\"inputs\": [\"" + a + "\", \"" + b + "\"]}");
        assertEquals(200, r.status(), r.body());
        assertEquals("application/json", r.contentType());
        List<Embedding> expected = direct(List.of(a, b), true);
        assertEquals(2, r.json().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(java.util.Arrays.toString(expected.get(i).vector()),
                    java.util.Arrays.toString(floats(r.json().get(i))), "input " + i);
        }
        TestServer.Reply raw = mlm.post("/embed", "{\"inputs\": \"" + a + "\", \"normalize\": false}");
        assertEquals(java.util.Arrays.toString(direct(List.of(a), false).get(0).vector()),
                java.util.Arrays.toString(floats(raw.json().get(0))));
        // token ids read as the tokenizer made them, and dimensions cut before normalising
        Encoding e = mlm.model.model().tokenizer().encode(a);
        TestServer.Reply ids = mlm.post("/embed", "{\"inputs\": " + java.util.Arrays.toString(e.ids()) + "}");
        assertEquals(r.json().get(0).toString(), ids.json().get(0).toString());
        TestServer.Reply cut = mlm.post("/embed", "{\"inputs\": \"" + a + "\", \"dimensions\": 8}");
        float[] v = floats(cut.json().get(0));
        assertEquals(8, v.length);
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertEquals(1.0, norm, 1e-5);
    }

    @Test
    void embedErrors() {
        assertError(mlm.post("/embed", "{}"), 422, "validation", "`inputs` is required");
        assertError(mlm.post("/embed", "{\"inputs\": {\"a\": 1}}"), 422, "validation", "`inputs` must be");
        assertError(mlm.post("/embed", "{\"inputs\": [\"ok\", 3.5]}"), 422, "validation", "`inputs[1]`");
        assertError(mlm.post("/embed", "{\"inputs\": [1, 99999999]}"), 422, "validation", "`inputs[1]`", "vocab_size");
        assertError(mlm.post("/embed", "{\"inputs\": []}"), 400, "empty", "`inputs` cannot be empty");
        assertError(mlm.post("/embed", "{\"inputs\": [\"a\",\"b\",\"c\",\"d\",\"e\"]}"), 413, "validation",
                "batch size 5 > maximum allowed batch size 4");
        assertError(mlm.post("/embed", "{\"inputs\": \"" + "x".repeat(30_000) + "\"}"), 413, "validation",
                "payload limit of 20000 bytes");
        assertError(mlm.post("/embed", "{\"inputs\": "), 422, "validation", "malformed JSON body");
        assertError(mlm.post("/embed", "[1, 2]"), 422, "validation", "must be a JSON object");
        assertError(mlm.post("/embed", ""), 422, "validation", "empty");
        assertError(mlm.post("/embed", "{\"inputs\": \"a\", \"normalize\": \"yes\"}"), 422, "validation",
                "`normalize` must be true or false");
        assertError(mlm.post("/embed", "{\"inputs\": \"a\", \"dimensions\": 0}"), 422, "validation", "`dimensions`");
        assertError(mlm.post("/embed", "{\"inputs\": \"a\", \"dimensions\": 33}"), 422, "validation", "dimension 32");
        assertError(mlm.post("/embed", "{\"inputs\": \"a\", \"truncation_direction\": \"Left\"}"), 422, "validation",
                "`truncation_direction` Left");
        String tooLong = TestServer.words(3000, 2) + " " + TestServer.words(3000, 3);   // about 6000 tokens
        int tokens = mlm.model.model().tokenizer().encode(tooLong).length();
        assertTrue(tokens > 4096, "the text must exceed the model: " + tokens);
        TestServer big = new TestServer(TestServer.PIPELINES.resolve("mlm-norm-b16"),
                ServerOptions.defaults().withEmbedding(Pooling.MEAN, false));
        try (big) {
            assertError(big.post("/embed", "{\"inputs\": \"" + tooLong + "\"}"), 422, "validation",
                    "`inputs` must have less than 4096 tokens. Given: " + tokens);
            assertEquals(200, big.post("/embed", "{\"inputs\": \"" + tooLong + "\", \"truncate\": true}").status());
        }
    }

    @Test
    void embedAllGivesEveryTokensVector() {
        TestServer.Reply r = mlm.post("/embed_all", "{\"inputs\": \"Hello world\"}");
        assertEquals(200, r.status(), r.body());
        int tokens = mlm.model.model().tokenizer().encode("Hello world").length();
        assertEquals(1, r.json().size());
        assertEquals(tokens, r.json().get(0).size());
        assertEquals(32, r.json().get(0).get(0).size());
        TaskModel base = TaskModel.load(TestServer.PIPELINES.resolve("mlm-norm-b16"), Head.BASE);
        float[] hidden = base.run(List.of(base.tokenizer().encode("Hello world")), false).get("last_hidden_state").data();
        assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(hidden, 32, 64)),
                java.util.Arrays.toString(floats(r.json().get(0).get(1))));
    }

    @Test
    void similarityIsTheCosineOfTheEmbeddings() {
        TestServer.Reply r = mlm.post("/similarity", "{\"inputs\": {\"source_sentence\": \"The cat sleeps.\","
                + " \"sentences\": [\"The cat sleeps.\", \"Stock markets fell sharply.\"]}}");
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.json().size());
        assertEquals(1.0, r.json().get(0).doubleValue(), 1e-6);
        List<Embedding> e = direct(List.of("The cat sleeps.", "Stock markets fell sharply."), true);
        double dot = 0;
        for (int i = 0; i < 32; i++) {
            dot += (double) e.get(0).vector()[i] * e.get(1).vector()[i];
        }
        assertEquals(dot, r.json().get(1).doubleValue(), 1e-6);
        assertError(mlm.post("/similarity", "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": []}}"), 400,
                "empty", "`inputs.sentences` cannot be empty");
        assertError(mlm.post("/similarity", "{\"inputs\": {\"sentences\": [\"a\"]}}"), 422, "validation",
                "`inputs.source_sentence` is required");
    }

    @Test
    void openAiEmbeddings() {
        TestServer.Reply r = mlm.post("/v1/embeddings", "{\"input\": [\"Hello world\", \"Hi\"], \"model\": \"x\"}");
        assertEquals(200, r.status(), r.body());
        JsonNode j = r.json();
        assertEquals("list", j.get("object").asText());
        assertEquals("mlm-norm-b16", j.get("model").asText());
        assertEquals("embedding", j.get("data").get(1).get("object").asText());
        assertEquals(1, j.get("data").get(1).get("index").asInt());
        int tokens = mlm.model.model().tokenizer().encode("Hello world").length()
                + mlm.model.model().tokenizer().encode("Hi").length();
        assertEquals(tokens, j.get("usage").get("prompt_tokens").asInt());
        assertEquals(tokens, j.get("usage").get("total_tokens").asInt());
        TestServer.Reply b64 = mlm.post("/v1/embeddings", "{\"input\": \"Hello world\", \"encoding_format\": \"base64\"}");
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64.json().get("data").get(0).get("embedding")
                .asText())).order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(decoded);
        assertEquals(java.util.Arrays.toString(floats(j.get("data").get(0).get("embedding"))),
                java.util.Arrays.toString(decoded));
        TestServer.Reply bad = mlm.post("/v1/embeddings", "{\"input\": []}");
        assertEquals(400, bad.status());
        assertEquals(400, bad.json().get("code").asInt());
        assertEquals("empty", bad.json().get("error_type").asText());
        assertTrue(bad.json().get("message").asText().contains("`input` cannot be empty"), bad.body());
    }

    @Test
    void predictScoresEveryLabelBestFirst() {
        String text = "I loved this movie, the acting was wonderful!";
        TestServer.Reply r = classifier.post("/predict", "{\"inputs\": \"" + text + "\"}");
        assertEquals(200, r.status(), r.body());
        TextClassificationPipeline p = new TextClassificationPipeline(classifier.model.model(), w -> { });
        var expected = p.run(List.of(TextInput.of(text)), TextClassificationOptions.defaults()
                .withLabels(LabelSelection.all()).withFunctionToApply(FunctionToApply.SOFTMAX)).get(0).labels();
        assertEquals(3, r.json().size());
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(expected.get(i).label(), r.json().get(i).get("label").asText());
            assertEquals((float) expected.get(i).score(), r.json().get(i).get("score").floatValue());
            sum += r.json().get(i).get("score").doubleValue();
        }
        assertEquals(1.0, sum, 1e-5);
        TestServer.Reply batch = classifier.post("/predict", "{\"inputs\": [[\"" + text + "\"], [\"Is it open?\", \"Yes.\"]],"
                + " \"raw_scores\": true}");
        assertEquals(200, batch.status(), batch.body());
        assertEquals(2, batch.json().size());
        assertEquals(3, batch.json().get(1).size());
        var pair = p.run(List.of(TextInput.of("Is it open?", "Yes.")), TextClassificationOptions.defaults()
                .withLabels(LabelSelection.all()).withFunctionToApply(FunctionToApply.NONE)).get(0).labels();
        assertEquals((float) pair.get(0).score(), batch.json().get(1).get(0).get("score").floatValue());
        assertError(classifier.post("/predict", "{\"inputs\": [[\"a\", \"b\", \"c\"]]}"), 422, "validation",
                "`inputs[0]` must be [text] or [text, text_pair]");
        assertError(mlm.post("/predict", "{\"inputs\": \"a\"}"), 424, "backend", "LSGRobertaForSequenceClassification");
    }

    @Test
    void rerankNeedsOneLabelAndSortsByScore() {
        TestServer.Reply r = reranker.post("/rerank", "{\"query\": \"Where is the cat?\", \"texts\": [\"The cat sleeps"
                + " in Paris.\", \"Stocks fell.\", \"Cats like sofas.\"], \"return_text\": true}");
        assertEquals(200, r.status(), r.body());
        JsonNode ranks = r.json();
        assertEquals(3, ranks.size());
        TextClassificationPipeline p = new TextClassificationPipeline(reranker.model.model(), w -> { });
        for (JsonNode rank : ranks) {
            String text = rank.get("text").asText();
            double expected = p.run(List.of(TextInput.of("Where is the cat?", text)), TextClassificationOptions
                    .defaults().withLabels(LabelSelection.all()).withFunctionToApply(FunctionToApply.SIGMOID))
                    .get(0).labels().get(0).score();
            assertEquals((float) expected, rank.get("score").floatValue(), text);
        }
        assertTrue(ranks.get(0).get("score").doubleValue() >= ranks.get(1).get("score").doubleValue());
        assertTrue(ranks.get(1).get("score").doubleValue() >= ranks.get(2).get("score").doubleValue());
        TestServer.Reply noText = reranker.post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"]}");
        assertFalse(noText.json().get(0).has("text"));
        assertError(reranker.post("/rerank", "{\"query\": \"q\", \"texts\": []}"), 400, "empty", "`texts`");
        assertError(reranker.post("/rerank", "{\"texts\": [\"a\"]}"), 422, "validation", "`query` is required");
        assertError(classifier.post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"]}"), 424, "backend",
                "not a re-ranker");
    }

    @Test
    void tokenizeAndDecode() {
        TestServer.Reply r = mlm.post("/tokenize", "{\"inputs\": \"Héllo world\"}");
        assertEquals(200, r.status(), r.body());
        JsonNode tokens = r.json().get(0);
        assertEquals("<s>", tokens.get(0).get("text").asText());
        assertTrue(tokens.get(0).get("special").asBoolean());
        assertTrue(tokens.get(0).get("start").isNull());
        // offsets are UTF-8 bytes, as TEI's: é takes two
        assertEquals("world", tokens.get(4).get("text").asText());
        assertEquals(7, tokens.get(4).get("start").asInt());
        assertEquals(12, tokens.get(4).get("stop").asInt());
        TestServer.Reply plain = mlm.post("/tokenize", "{\"inputs\": [\"a\", \"b c\"], \"add_special_tokens\": false}");
        assertEquals(2, plain.json().size());
        assertEquals(2, plain.json().get(1).size());
        int[] ids = mlm.model.model().tokenizer().encode("Hello world").ids();
        TestServer.Reply d = mlm.post("/decode", "{\"ids\": " + java.util.Arrays.toString(ids) + "}");
        assertEquals("[\"Hello world\"]", d.body());
        TestServer.Reply keep = mlm.post("/decode", "{\"ids\": [" + java.util.Arrays.toString(ids)
                + "], \"skip_special_tokens\": false}");
        assertEquals("[\"<s>Hello world</s>\"]", keep.body());
        assertError(mlm.post("/decode", "{\"ids\": [-1]}"), 422, "validation", "`ids[0]`");
        assertError(mlm.post("/decode", "{\"ids\": []}"), 400, "empty", "`ids`");
        assertError(mlm.post("/tokenize", "{\"inputs\": 3}"), 422, "validation", "`inputs`");
    }

    @Test
    void healthInfoMetricsAndRouting() {
        assertEquals(200, mlm.get("/health").status());
        JsonNode info = classifier.get("/info").json();
        assertEquals("float32", info.get("model_dtype").asText());
        assertEquals("lsg4j " + System.getProperty("lsg.pom.version"), info.get("version").asText());
        assertEquals(4096, info.get("max_input_length").asInt());
        assertEquals("negative", info.get("model_type").get("classifier").get("id2label").get("0").asText());
        assertEquals(List.of("classify", "embed"), TestServer.JSON.convertValue(info.get("lsg").get("tasks"), List.class));
        assertEquals("reranker", reranker.get("/info").json().get("model_type").fieldNames().next());
        assertEquals("mean", mlm.get("/info").json().get("model_type").get("embedding").get("pooling").asText());
        mlm.post("/embed", "{\"inputs\": \"count me\"}");
        String metrics = mlm.get("/metrics").body();
        assertTrue(metrics.contains("lsg_requests_total{endpoint=\"/embed\",status=\"200\"}"), metrics);
        assertTrue(metrics.contains("lsg_request_duration_seconds_bucket{endpoint=\"/embed\",le=\"+Inf\"}"), metrics);
        assertTrue(metrics.contains("lsg_queue_size 0"), metrics);
        assertTrue(metrics.contains("# TYPE lsg_batch_tokens histogram"), metrics);
        assertTrue(metrics.matches("(?s).*lsg_tokens_processed_total [1-9].*"), metrics);
        assertError(mlm.get("/nothing"), 404, "validation", "no endpoint /nothing");
        assertError(mlm.get("/embed"), 405, "validation", "takes POST");
        assertError(mlm.post("/info", "{}"), 405, "validation", "takes GET");
        TestServer.Reply page = mlm.get("/");
        assertEquals(200, page.status());
        assertTrue(page.contentType().startsWith("text/html"));
        assertTrue(page.body().contains("<canvas id=\"pattern\""), page.body());
        assertTrue(mlm.get("/app.js").body().contains("/attention"));
    }

    @Test
    void apiKeyGuardsTheApiButNotHealth() {
        TestServer guarded = new TestServer(TestServer.PIPELINES.resolve("mlm-norm-b16"),
                ServerOptions.defaults().withApiKey("s3cret"));
        try (guarded) {
            assertError(guarded.post("/embed", "{\"inputs\": \"a\"}"), 401, "unauthorized", "API key");
            assertError(guarded.post("/embed", "{\"inputs\": \"a\"}", "Authorization", "Bearer s3cres"), 401,
                    "unauthorized");
            assertError(guarded.get("/info", "Authorization", "s3cret"), 401, "unauthorized");
            assertEquals(200, guarded.post("/embed", "{\"inputs\": \"a\"}", "Authorization", "Bearer s3cret").status());
            assertEquals(200, guarded.get("/health").status());
            assertEquals(200, guarded.get("/metrics").status());
            assertEquals(200, guarded.get("/").status());
        }
    }

    @Test
    void moreInputsThanTheServerAdmitsIs429() {
        TestServer small = new TestServer(TestServer.PIPELINES.resolve("mlm-norm-b16"),
                ServerOptions.defaults().withBatching(16384, 32, 2));
        try (small) {
            assertError(small.post("/embed", "{\"inputs\": [\"a\", \"b\", \"c\"]}"), 429, "overloaded",
                    "Model is overloaded");
            assertEquals(200, small.post("/embed", "{\"inputs\": [\"a\", \"b\"]}").status());
        }
    }
}
