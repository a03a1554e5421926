package org.lsg4j.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.model.Head;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.pipelines.Embedding;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tensor.Tolerance;
import org.lsg4j.tokenizer.TextInput;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default model as lsg4j makes it, against the PyTorch LSG reference run on the same folder
 * ({@code default-model-parity/make_case.py}, which also checked that the reference converter, run on
 * the imported plain folder, gives the same 102 tensors bit for bit): two texts of 1,500 and 900 tokens,
 * batched with padding, on the long LSG path. Token ids equal; rows of last_hidden_state and the
 * sentence-transformers embeddings (mean pooling, normalised) within {@link Tolerance#PARITY}.
 */
class DefaultModelParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path caseDir;
    private static JsonNode c;
    private static TaskModel model;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        caseDir = Path.of(DefaultModelParityTest.class.getResource("/default-model-parity/case.json").toURI()).getParent();
        c = JSON.readTree(caseDir.resolve("case.json").toFile());
        Path cache = Path.of(System.getProperty("lsg.test.cache", "target/lsg4j-test-cache"));
        model = TaskModel.load(DefaultModel.resolve(cache, line -> { }), Head.BASE);
    }

    @Test
    void theReferenceConverterAgreedBitForBit() {
        JsonNode conversion = c.get("reference_conversion");
        assertEquals(0.0, conversion.get("max_abs_diff_vs_lsg4j").asDouble(), "recorded by make_case.py");
        assertEquals(102, conversion.get("tensors_compared").asInt());
        assertTrue(conversion.get("config_differences").isEmpty());
    }

    @Test
    void tokensAndHiddenStatesMatchTheReference() {
        int[] lengths = {c.get("lengths").get(0).asInt(), c.get("lengths").get(1).asInt()};
        assertEquals(1500, lengths[0]);
        try (SafeTensors inputs = SafeTensors.open(caseDir.resolve("inputs.safetensors"));
             SafeTensors outputs = SafeTensors.open(caseDir.resolve("outputs.safetensors"))) {
            LongTensor ids = inputs.longs("input_ids");
            LongTensor mask = inputs.longs("attention_mask");
            int width = ids.dim(1);
            for (int r = 0; r < 2; r++) {
                int[] expected = new int[lengths[r]];
                for (int p = 0; p < lengths[r]; p++) {
                    expected[p] = (int) ids.data()[r * width + p];
                }
                assertArrayEquals(expected, model.tokenizer().encode(c.get("texts").get(r).asText()).ids(),
                        "the tokenizer gives the reference's ids for text " + r);
            }
            ModelInputs in = ModelInputs.of(ids).withAttentionMask(mask)
                    .withTokenTypeIds(new LongTensor(ids.shape(), new long[ids.data().length]));
            float[] hidden = model.model().forward(in, model.workers()).get("last_hidden_state").data();
            int d = model.model().config().hiddenSize();
            for (int r = 0; r < 2; r++) {
                FloatTensor ref = outputs.floats("last_hidden_state." + r);
                JsonNode rows = c.get("rows").get(Integer.toString(r));
                float[] actual = new float[rows.size() * d];
                for (int i = 0; i < rows.size(); i++) {
                    System.arraycopy(hidden, (r * width + rows.get(i).asInt()) * d, actual, i * d, d);
                }
                Tolerance.Worst worst = Tolerance.PARITY.compare(ref.data(), actual);
                assertTrue(worst.within(), "row " + r + " position " + rows.get(worst.index() / d) + ": " + worst);
                System.out.printf("default model parity: last_hidden_state row %d worst |error| %.3g (%.3f of the"
                        + " tolerance)%n", r, worst.error(), worst.ratio());
            }
        }
    }

    @Test
    void sentenceEmbeddingsMatchTheReference() {
        List<TextInput> texts = List.of(TextInput.of(c.get("texts").get(0).asText()),
                TextInput.of(c.get("texts").get(1).asText()));
        EmbeddingPipeline pipeline = new EmbeddingPipeline(model, w -> { });
        float[] ref;
        try (SafeTensors outputs = SafeTensors.open(caseDir.resolve("outputs.safetensors"))) {
            ref = outputs.floats("sentence_embedding").data();
        }
        for (int batch : new int[] {1, 2}) {
            List<Embedding> vectors = pipeline.run(texts, model.sentenceEmbedding().withBatchSize(batch));
            for (int r = 0; r < 2; r++) {
                float[] expected = Arrays.copyOfRange(ref, r * 384, (r + 1) * 384);
                Tolerance.Worst worst = Tolerance.PARITY.compare(expected, vectors.get(r).vector());
                assertTrue(worst.within(), "text " + r + ", batch " + batch + ": " + worst);
                System.out.printf("default model parity: sentence embedding %d, batch %d, worst |error| %.3g (%.3f of"
                        + " the tolerance)%n", r, batch, worst.error(), worst.ratio());
            }
        }
    }
}
