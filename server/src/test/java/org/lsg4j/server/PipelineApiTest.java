package org.lsg4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.pipelines.AggregationStrategy;
import org.lsg4j.pipelines.FillMaskOptions;
import org.lsg4j.pipelines.FillMaskPipeline;
import org.lsg4j.pipelines.LabelSelection;
import org.lsg4j.pipelines.QuestionAnsweringOptions;
import org.lsg4j.pipelines.QuestionAnsweringPipeline;
import org.lsg4j.pipelines.TextClassificationOptions;
import org.lsg4j.pipelines.TextClassificationPipeline;
import org.lsg4j.pipelines.TokenClassificationOptions;
import org.lsg4j.pipelines.TokenClassificationPipeline;
import org.lsg4j.tokenizer.TextInput;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /fill-mask, /classify, /token-classify and /qa answer the JSON the pipelines give (what the CLI
 * prints) for the same input and options, byte for byte; wrong heads are 424 and bad parameters
 * 422 naming the field.
 */
class PipelineApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer mlm;
    private static TestServer classifier;
    private static TestServer tokens;
    private static TestServer qa;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        mlm = new TestServer(TestServer.PIPELINES.resolve("mlm-norm-b16"));
        classifier = new TestServer(TestServer.PIPELINES.resolve("text-cls-3labels-pooling-b32"));
        tokens = new TestServer(TestServer.taskFolder("lsh-f2-tokcls", tmp.resolve("tokcls")));
        qa = new TestServer(TestServer.taskFolder("stride-f4-qa", tmp.resolve("qa")));
    }

    @AfterAll
    static void stop() {
        mlm.close();
        classifier.close();
        tokens.close();
        qa.close();
    }

    private static String json(Object o) throws IOException {
        return JSON.writeValueAsString(o);
    }

    private static void assertError(TestServer.Reply r, int status, String... fragments) {
        assertEquals(status, r.status(), r.body());
        for (String f : fragments) {
            assertTrue(r.json().get("error").asText().contains(f), r.body() + " should say " + f);
        }
    }

    @Test
    void fillMask() throws IOException {
        FillMaskPipeline p = new FillMaskPipeline(mlm.model.model(), w -> { });
        String one = "Paris is the <mask> of France.";
        String two = "The <mask> sat on the <mask>.";
        assertEquals(json(p.run(one, FillMaskOptions.defaults().withTopK(2))),
                mlm.post("/fill-mask", "{\"inputs\": \"" + one + "\", \"parameters\": {\"top_k\": 2}}").body());
        assertEquals(json(p.run(List.of(one, two), FillMaskOptions.defaults())),
                mlm.post("/fill-mask", "{\"inputs\": [\"" + one + "\", \"" + two + "\"]}").body());
        assertEquals(json(p.run(one, FillMaskOptions.defaults().withTargets(List.of("Ġcapital", "Ġcity")))),
                mlm.post("/fill-mask", "{\"inputs\": \"" + one + "\", \"parameters\": {\"targets\": [\"Ġcapital\","
                        + " \"Ġcity\"]}}").body());
        assertError(mlm.post("/fill-mask", "{\"inputs\": \"No mask here.\"}"), 422, "No mask_token (<mask>)");
        assertError(mlm.post("/fill-mask", "{\"inputs\": \"a <mask>\", \"parameters\": {\"top_k\": 0}}"), 422,
                "`parameters.top_k` must be in [1,");
        assertError(classifier.post("/fill-mask", "{\"inputs\": \"a <mask>\"}"), 424, "LSGRobertaForMaskedLM");
    }

    @Test
    void classify() throws IOException {
        TextClassificationPipeline p = new TextClassificationPipeline(classifier.model.model(), w -> { });
        String text = "I loved this movie, the acting was wonderful!";
        assertEquals(json(p.run(TextInput.of(text), TextClassificationOptions.defaults())),
                classifier.post("/classify", "{\"inputs\": \"" + text + "\"}").body());
        assertEquals(json(p.run(TextInput.of(text), TextClassificationOptions.defaults().withLabels(LabelSelection.all())
                        .withFunctionToApply(org.lsg4j.pipelines.FunctionToApply.SIGMOID))),
                classifier.post("/classify", "{\"inputs\": \"" + text + "\", \"parameters\": {\"top_k\": null,"
                        + " \"function_to_apply\": \"sigmoid\"}}").body());
        assertEquals(json(p.runEach(List.of(TextInput.of("Is it open?", "It opens at nine."), TextInput.of(text)),
                        TextClassificationOptions.defaults().withLabels(LabelSelection.topK(2)))),
                classifier.post("/classify", "{\"inputs\": [{\"text\": \"Is it open?\", \"text_pair\": \"It opens at"
                        + " nine.\"}, \"" + text + "\"], \"parameters\": {\"top_k\": 2}}").body());
        assertError(classifier.post("/classify", "{\"inputs\": \"a\", \"parameters\": {\"function_to_apply\": \"exp\"}}"),
                422, "`parameters`", "function_to_apply");
        assertError(classifier.post("/classify", "{\"inputs\": [{\"text_pair\": \"b\"}]}"), 422,
                "`inputs[0].text` is required");
        assertError(mlm.post("/classify", "{\"inputs\": \"a\"}"), 424, "LSGRobertaForSequenceClassification");
    }

    @Test
    void tokenClassify() throws IOException {
        TokenClassificationPipeline p = new TokenClassificationPipeline(tokens.model.model());
        String text = "Ada met Bob in Paris.";
        assertEquals(json(p.run(text, TokenClassificationOptions.defaults().withIgnoreLabels(List.of()))),
                tokens.post("/token-classify", "{\"inputs\": \"" + text + "\", \"parameters\": {\"ignore_labels\": []}}")
                        .body());
        TokenClassificationOptions first = TokenClassificationOptions.defaults()
                .withAggregation(AggregationStrategy.FIRST).withIgnoreLabels(List.of("LABEL_0", "LABEL_1"));
        // longer than the model's 64 tokens: read in windows
        String longText = TestServer.words(40, 3);
        assertEquals(json(p.run(List.of(text, longText), first, 1)),
                tokens.post("/token-classify", "{\"inputs\": [\"" + text + "\", \"" + longText + "\"], \"parameters\":"
                        + " {\"aggregation_strategy\": \"first\", \"ignore_labels\": [\"LABEL_0\", \"LABEL_1\"]}}").body());
        assertError(tokens.post("/token-classify", "{\"inputs\": \"a\", \"parameters\": {\"aggregation_strategy\":"
                + " \"most\"}}"), 422, "`parameters`", "aggregation strategy");
        assertError(mlm.post("/token-classify", "{\"inputs\": \"a\"}"), 424, "ForTokenClassification");
    }

    @Test
    void questionAnswering() throws IOException {
        QuestionAnsweringPipeline p = new QuestionAnsweringPipeline(qa.model.model());
        String question = "Where is the cat?";
        String context = "The cat sleeps in Paris.";
        assertEquals(json(p.run(question, context, QuestionAnsweringOptions.defaults()).get(0)),
                qa.post("/qa", "{\"inputs\": {\"question\": \"" + question + "\", \"context\": \"" + context + "\"}}")
                        .body());
        assertEquals(json(List.of(p.run(question, context, QuestionAnsweringOptions.defaults().withTopK(2)
                        .withHandleImpossibleAnswer(true)))),
                qa.post("/qa", "{\"inputs\": [{\"question\": \"" + question + "\", \"context\": \"" + context + "\"}],"
                        + " \"parameters\": {\"top_k\": 2, \"handle_impossible_answer\": true}}").body());
        assertError(qa.post("/qa", "{\"inputs\": {\"question\": \"q\"}}"), 422, "`inputs.context` is required");
        assertError(qa.post("/qa", "{\"inputs\": [3]}"), 422, "`inputs[0]` must be an object");
        assertError(mlm.post("/qa", "{\"inputs\": {\"question\": \"q\", \"context\": \"c\"}}"), 424,
                "ForQuestionAnswering");
    }
}
