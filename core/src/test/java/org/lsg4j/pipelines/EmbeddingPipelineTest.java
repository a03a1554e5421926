package org.lsg4j.pipelines;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sentence embeddings, truncation of long documents, and heads a checkpoint lacks. */
class EmbeddingPipelineTest {
    private static final Path MLM = PipelineFixtures.ROOT.resolve("mlm-norm-b16");
    private static final TaskModel BASE = TaskModel.load(MLM, Head.BASE);
    private static final List<TextInput> TEXTS = List.of(TextInput.of("A short one."),
            TextInput.of("Rain fell all afternoon, and the river rose higher than anyone in town could remember."));

    @Test
    void meanPoolingLeavesPaddingOut() {
        EmbeddingPipeline pipeline = new EmbeddingPipeline(BASE, w -> { });
        List<Embedding> alone = pipeline.run(TEXTS, EmbeddingOptions.defaults());
        List<Embedding> batched = pipeline.run(TEXTS, EmbeddingOptions.defaults().withBatchSize(2));
        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(alone.get(i).vector(), batched.get(i).vector(), 1e-5f, "input " + i);
        }
    }

    @Test
    void globalPoolingReadsTheFirstGlobalTokenWithoutPoolWithGlobal(@TempDir Path dir) throws IOException {
        try (var files = Files.list(MLM)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        ObjectNode config = (ObjectNode) PipelineFixtures.read(Files.readString(MLM.resolve("config.json")));
        Files.delete(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.put("pool_with_global", false).toString());
        TaskModel model = TaskModel.load(dir, Head.BASE);
        EmbeddingPipeline pipeline = new EmbeddingPipeline(model, w -> { });

        float[] global = pipeline.run(TEXTS.get(1), EmbeddingOptions.defaults().withPooling(Pooling.GLOBAL)).vector();
        float[] cls = pipeline.run(TEXTS.get(1), EmbeddingOptions.defaults().withPooling(Pooling.CLS)).vector();
        ModelOutputs out = model.run(List.of(model.tokenizer().encode(TEXTS.get(1).text())), true);
        FloatTensor last = out.get("hidden_states.2");
        float[] row0 = Arrays.copyOf(last.data(), global.length);
        assertArrayEquals(row0, global);
        assertTrue(!Arrays.equals(global, cls), "without pool_with_global, <s> is not the global token");
    }

    @Test
    void spansAreMeansOfTheirTokensFromTheDocumentsOwnPass() {
        EmbeddingPipeline pipeline = new EmbeddingPipeline(BASE, w -> { });
        Encoding e = BASE.tokenizer().encode(TEXTS.get(1).text());
        EmbeddingOptions options = EmbeddingOptions.defaults().withNormalize(true);
        EmbeddingPipeline.SpanEmbeddings out = pipeline.embedSpans(e, List.of(new int[] {0, e.length()},
                new int[] {3, 7}), options);
        float[] whole = pipeline.run(TEXTS.get(1), options).vector();
        assertArrayEquals(whole, out.document().vector(), "the document's vector is embed's");
        assertArrayEquals(whole, out.spans().get(0), "a span over every token is the mean-pooled vector");

        float[] hidden = BASE.run(List.of(e), false).get("last_hidden_state").data();
        int d = BASE.model().config().hiddenSize();
        double[] sum = new double[d];
        for (int p = 3; p < 7; p++) {
            for (int j = 0; j < d; j++) {
                sum[j] += hidden[p * d + j];
            }
        }
        double norm = 0;
        for (int j = 0; j < d; j++) {
            norm += (sum[j] / 4) * (sum[j] / 4);
        }
        float[] expected = new float[d];
        for (int j = 0; j < d; j++) {
            expected[j] = (float) (sum[j] / 4 / Math.sqrt(norm));
        }
        assertArrayEquals(expected, out.spans().get(1), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> pipeline.embedSpans(e, List.of(new int[] {5, 5}), options));
        assertThrows(IllegalArgumentException.class,
                () -> pipeline.embedSpans(e, List.of(new int[] {0, e.length() + 1}), options));
    }

    @Test
    void normalizedVectorsHaveUnitLength() {
        float[] v = new EmbeddingPipeline(BASE, w -> { }).run(TEXTS.get(0),
                EmbeddingOptions.defaults().withPooling(Pooling.CLS).withNormalize(true)).vector();
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertEquals(1, norm, 1e-5);
    }

    @Test
    void documentLongerThanTheModelIsTruncatedWithAWarning() {
        List<String> warnings = new ArrayList<>();
        String text = "The river rose higher every day. ".repeat(700);
        TokenFeatures f = new FeatureExtractionPipeline(BASE, warnings::add).run(TextInput.of(text),
                FeatureExtractionOptions.defaults());
        assertEquals(4096, f.length());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("has more than the 4096 tokens the model takes: truncated to 4096"),
                warnings.get(0));
    }

    @Test
    void explicitMaxLengthTruncatesSilently() {
        List<String> warnings = new ArrayList<>();
        TokenFeatures f = new FeatureExtractionPipeline(BASE, warnings::add).run(TEXTS.get(1),
                FeatureExtractionOptions.defaults().withMaxLength(8));
        assertEquals(8, f.length());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aHeadTheCheckpointLacksIsNamed() {
        LsgException e = assertThrows(LsgException.class, () -> TaskModel.load(
                PipelineFixtures.ROOT.resolve("text-cls-1label-stride-b16"), Head.MASKED_LM));
        assertTrue(e.getMessage().contains("LSGRobertaForSequenceClassification")
                && e.getMessage().contains("no LSGRobertaForMaskedLM head"), e.getMessage());
    }

    @Test
    void fillMaskNeedsAMask() {
        TaskModel mlm = TaskModel.load(MLM, Head.MASKED_LM);
        LsgException e = assertThrows(LsgException.class, () -> new FillMaskPipeline(mlm, w -> { })
                .run("No mask here.", FillMaskOptions.defaults()));
        assertEquals("No mask_token (<mask>) found on the input", e.getMessage());
    }
}
