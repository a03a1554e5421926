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
 * Every fill-mask case of the pipeline fixtures through the Java API: same tokens, strings,
 * sequences, order and structure, scores within 1e-4 relative, the same warnings and the same
 * model inputs.
 */
class FillMaskFixtureTest {
    private static final TaskModel MODEL = TaskModel.load(PipelineFixtures.ROOT.resolve("mlm-norm-b16"), Head.MASKED_LM);

    @TestFactory
    Stream<DynamicTest> fixtureCases() {
        return PipelineFixtures.cases("mlm-norm-b16", "fill-mask").map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    static FillMaskOptions options(Case c) {
        FillMaskOptions o = FillMaskOptions.defaults();
        JsonNode k = c.kwargs();
        if (k.has("top_k")) {
            o = o.withTopK(k.get("top_k").intValue());
        }
        if (k.has("targets")) {
            JsonNode t = k.get("targets");
            List<String> targets = new ArrayList<>();
            if (t.isTextual()) {
                targets.add(t.textValue());
            } else {
                t.forEach(s -> targets.add(s.textValue()));
            }
            o = o.withTargets(targets);
        }
        if (k.has("batch_size")) {
            o = o.withBatchSize(k.get("batch_size").intValue());
        }
        if (k.path("tokenizer_kwargs").path("truncation").asBoolean(false)) {
            o = o.withMaxLength(k.get("tokenizer_kwargs").get("max_length").intValue());
        }
        return o;
    }

    private static void check(Case c) {
        List<String> warnings = new ArrayList<>();
        FillMaskPipeline pipeline = new FillMaskPipeline(MODEL, warnings::add);
        FillMaskOptions options = options(c);
        List<String> texts = c.textInputs().stream().map(TextInput::text).toList();
        List<FillMaskResult> results = pipeline.run(texts, options);
        Object result = c.inputs().isArray() && results.size() > 1 ? results : results.get(0);

        PipelineFixtures.assertJsonClose(c.output(), PipelineFixtures.toJson(result), PipelineFixtures.relative(1e-4));
        assertEquals(c.warningMessages(), warnings);
        DocumentEncoder encoder = new DocumentEncoder(MODEL, w -> { });
        List<Encoding> encodings = texts.stream().map(t -> encoder.encode(TextInput.of(t), options.maxLength())).toList();
        PipelineFixtures.assertModelInputs(c, MODEL, encodings, options.batchSize());
    }
}
