package org.lsg4j.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicContainer;
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
 * Every text-classification case of the pipeline fixtures (three models) through the Java API:
 * same labels, order and shape, scores within 1e-5, the same model inputs.
 */
class TextClassificationFixtureTest {
    private static final List<String> MODELS = List.of("text-cls-3labels-pooling-b32", "text-cls-1label-stride-b16",
            "text-cls-multilabel-bos_pooling-b32");

    @TestFactory
    Stream<DynamicContainer> fixtureCases() {
        return MODELS.stream().map(name -> {
            TaskModel model = TaskModel.load(PipelineFixtures.ROOT.resolve(name), Head.SEQUENCE_CLASSIFICATION);
            return DynamicContainer.dynamicContainer(name, PipelineFixtures.cases(name, "text-classification")
                    .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(model, c))));
        }).toList().stream();   // the models load inside the factory call (where a missing ../shared is reported)
    }

    static TextClassificationOptions options(Case c) {
        TextClassificationOptions o = TextClassificationOptions.defaults();
        JsonNode k = c.kwargs();
        if (k.has("top_k")) {
            o = o.withLabels(k.get("top_k").isNull() ? LabelSelection.all() : LabelSelection.topK(k.get("top_k").intValue()));
        } else if (k.path("return_all_scores").asBoolean(false)) {
            o = o.withLabels(LabelSelection.allInLabelOrder());
        }
        if (k.has("function_to_apply")) {
            o = o.withFunctionToApply(FunctionToApply.parse(k.get("function_to_apply").textValue()));
        }
        if (k.has("batch_size")) {
            o = o.withBatchSize(k.get("batch_size").intValue());
        }
        if (k.path("truncation").asBoolean(false)) {
            o = o.withMaxLength(k.get("max_length").intValue());
        }
        return o;
    }

    private static void check(TaskModel model, Case c) {
        List<String> warnings = new ArrayList<>();
        TextClassificationPipeline pipeline = new TextClassificationPipeline(model, warnings::add);
        TextClassificationOptions options = options(c);
        List<TextInput> inputs = c.textInputs();
        Object result = c.inputs().isArray() ? pipeline.run(inputs, options) : pipeline.run(inputs.get(0), options);

        PipelineFixtures.assertJsonClose(c.output(), PipelineFixtures.toJson(result), PipelineFixtures.absolute(1e-5));
        assertEquals(c.warningMessages().stream().map(w -> w.replaceAll("\\s+", " ")).toList(),
                warnings.stream().map(w -> w.replaceAll("\\s+", " ")).toList());
        DocumentEncoder encoder = new DocumentEncoder(model, w -> { });
        List<Encoding> encodings = inputs.stream().map(in -> encoder.encode(in, options.maxLength())).toList();
        PipelineFixtures.assertModelInputs(c, model, encodings, options.batchSize());
    }
}
