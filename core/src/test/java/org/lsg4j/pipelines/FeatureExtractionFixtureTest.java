package org.lsg4j.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lsg4j.model.Head;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lsg4j.pipelines.PipelineFixtures.Case;

/**
 * Every feature-extraction case of the pipeline fixtures through the Java API, with the base
 * model read from the masked-LM folder as AutoModel does: same shapes (padded positions kept with
 * batch_size 2), values within 1e-4 absolute + 1e-4 relative, the same model inputs.
 */
class FeatureExtractionFixtureTest {
    private static final TaskModel MODEL = TaskModel.load(PipelineFixtures.ROOT.resolve("mlm-norm-b16"), Head.BASE);

    @TestFactory
    Stream<DynamicTest> fixtureCases() {
        return PipelineFixtures.cases("mlm-norm-b16", "feature-extraction")
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    static FeatureExtractionOptions options(Case c) {
        FeatureExtractionOptions o = FeatureExtractionOptions.defaults();
        JsonNode k = c.kwargs();
        if (k.has("batch_size")) {
            o = o.withBatchSize(k.get("batch_size").intValue());
        }
        if (k.path("truncation").asBoolean(false)) {
            o = o.withMaxLength(k.get("tokenize_kwargs").get("max_length").intValue());
        }
        return o;
    }

    private static void check(Case c) {
        List<String> warnings = new ArrayList<>();
        FeatureExtractionPipeline pipeline = new FeatureExtractionPipeline(MODEL, warnings::add);
        FeatureExtractionOptions options = options(c);
        List<TextInput> inputs = c.textInputs();
        Object result = c.inputs().isArray() ? pipeline.run(inputs, options) : pipeline.run(inputs.get(0), options);

        PipelineFixtures.assertJsonClose(c.output(), PipelineFixtures.toJson(result),
                PipelineFixtures.absoluteAndRelative(1e-4, 1e-4));
        assertEquals(List.of(), warnings);
        DocumentEncoder encoder = new DocumentEncoder(MODEL, w -> { });
        List<Encoding> encodings = inputs.stream().map(in -> encoder.encode(in, options.maxLength())).toList();
        PipelineFixtures.assertModelInputs(c, MODEL, encodings, options.batchSize());
    }
}
