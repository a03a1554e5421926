package org.lsg4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.AggregationStrategy;
import org.lsg4j.pipelines.Answer;
import org.lsg4j.pipelines.FillMaskOptions;
import org.lsg4j.pipelines.FillMaskPipeline;
import org.lsg4j.pipelines.FunctionToApply;
import org.lsg4j.pipelines.LabelSelection;
import org.lsg4j.pipelines.QuestionAnsweringOptions;
import org.lsg4j.pipelines.QuestionContext;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.pipelines.TextClassificationOptions;
import org.lsg4j.pipelines.TokenClassificationOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * lsg4j's pipelines over HTTP: /fill-mask, /classify, /token-classify and /qa answer exactly the
 * JSON that {@code lsg fill-mask}, {@code lsg classify}, ... print for the same input and options.
 * Requests are shaped as Hugging Face's inference API: {@code {"inputs": ..., "parameters": {...}}}
 * with the pipelines' keyword names (top_k, targets, function_to_apply, aggregation_strategy, ...).
 * A single input gives its result; a list gives a list of results.
 */
final class PipelineApi {
    private final ServedModel model;
    private final ServerOptions options;
    private final Inference inference;

    PipelineApi(ServedModel model, ServerOptions options, Inference inference) {
        this.model = model;
        this.options = options;
        this.inference = inference;
    }

    /** POST /fill-mask: inputs a text or a list; parameters top_k, targets, max_length. */
    Object fillMask(Fields body, long started) {
        model.require(Head.MASKED_LM, "/fill-mask");
        Fields p = body.object("parameters");
        List<String> targets = p.raw("targets") != null && p.raw("targets").isTextual()
                ? List.of(p.string("targets")) : p.strings("targets", null);
        FillMaskOptions o = option(() -> FillMaskOptions.defaults()
                .withTopK(p.integer("top_k", FillMaskOptions.DEFAULT_TOP_K, 1, 100_000))
                .withTargets(targets).withMaxLength(p.integer("max_length", null, 2, Integer.MAX_VALUE)));
        if (targets != null) {
            // resolving the targets fails when none is left: the request's fault
            option(() -> new FillMaskPipeline(model.model(), model.log()).configure(o));
        }
        List<String> texts = texts(body);
        OptionalInt mask = model.model().tokenizer().maskId();
        String maskToken = model.model().tokenizer().maskToken().orElse("mask token");
        List<?> results = inference.run(new Kinds.FillMask(model, o), texts.size(), () -> jobs(texts, text -> {
            Encoding e = model.model().tokenizer().encode(text);
            if (mask.isPresent() && java.util.Arrays.stream(e.ids()).noneMatch(id -> id == mask.getAsInt())) {
                throw ApiError.validation("`inputs`: No mask_token (" + maskToken + ") found on the input");
            }
            return e.length();
        }), started);
        return shape(body, results);
    }

    /** POST /classify: inputs a text, {text, text_pair}, or a list; parameters top_k, function_to_apply, max_length. */
    Object classify(Fields body, long started) {
        model.require(Head.SEQUENCE_CLASSIFICATION, "/classify");
        Fields p = body.object("parameters");
        LabelSelection labels;
        if (!p.has("top_k")) {
            labels = LabelSelection.legacy();
        } else if (p.raw("top_k").isNull()) {
            labels = LabelSelection.all();
        } else {
            labels = LabelSelection.topK(p.integer("top_k", 1, 0, Integer.MAX_VALUE));
        }
        String function = p.string("function_to_apply", null);
        TextClassificationOptions o = option(() -> TextClassificationOptions.defaults().withLabels(labels)
                .withFunctionToApply(function == null ? null : FunctionToApply.parse(function))
                .withMaxLength(p.integer("max_length", null, 2, Integer.MAX_VALUE)));
        JsonNode v = body.raw("inputs");
        boolean single = v != null && (v.isTextual() || v.isObject());
        List<TextInput> inputs = new ArrayList<>();
        if (single) {
            inputs.add(textInput(v, "inputs"));
        } else {
            JsonNode list = list(body);
            for (int i = 0; i < list.size(); i++) {
                inputs.add(textInput(list.get(i), "inputs[" + i + "]"));
            }
        }
        TaskModel m = model.model();
        List<?> results = inference.run(new Kinds.Classify(model, o), inputs.size(), () -> jobs(inputs,
                in -> (in.pair() == null ? m.tokenizer().encode(in.text())
                        : m.tokenizer().encodePair(in.text(), in.pair(), true)).length()), started);
        return single ? results.get(0) : results;
    }

    /** POST /token-classify: inputs a text or a list; parameters aggregation_strategy, ignore_labels, stride. */
    Object tokenClassify(Fields body, long started) {
        model.require(Head.TOKEN_CLASSIFICATION, "/token-classify");
        Fields p = body.object("parameters");
        String strategy = p.string("aggregation_strategy", "none");
        TokenClassificationOptions o = option(() -> new TokenClassificationOptions(AggregationStrategy.parse(strategy),
                p.strings("ignore_labels", List.of("O")), p.integer("stride", -1, 0, Integer.MAX_VALUE)));
        List<String> texts = texts(body);
        List<?> results = inference.run(new Kinds.TokenClassify(model, o), texts.size(),
                () -> jobs(texts, text -> model.model().tokenizer().encode(text).length()), started);
        return shape(body, results);
    }

    /**
     * POST /qa: inputs {question, context} or a list; parameters top_k, max_answer_len,
     * handle_impossible_answer, doc_stride, max_seq_len, align_to_words. One answer is given bare,
     * several as a list, as the pipeline returns them.
     */
    Object qa(Fields body, long started) {
        model.require(Head.QUESTION_ANSWERING, "/qa");
        Fields p = body.object("parameters");
        QuestionAnsweringOptions o = option(() -> new QuestionAnsweringOptions(p.integer("top_k", 1, 1, 10_000),
                p.integer("max_answer_len", 15, 1, Integer.MAX_VALUE), p.bool("handle_impossible_answer", false),
                p.integer("doc_stride", -1, 0, Integer.MAX_VALUE), p.integer("max_seq_len", -1, 1, Integer.MAX_VALUE),
                p.bool("align_to_words", true)));
        JsonNode v = body.raw("inputs");
        boolean single = v != null && v.isObject();
        List<QuestionContext> inputs = new ArrayList<>();
        if (single) {
            inputs.add(question(body.object("inputs")));
        } else {
            JsonNode list = list(body);
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isObject()) {
                    throw ApiError.validation("`inputs[" + i + "]` must be an object {question, context}, found "
                            + Fields.kind(list.get(i)));
                }
                inputs.add(question(Fields.body(list.get(i)).prefixed("inputs[" + i + "].")));
            }
        }
        List<List<Answer>> results = inference.run(new Kinds.Qa(model, o), inputs.size(), () -> jobs(inputs,
                q -> model.model().tokenizer().encodePair(q.question(), q.context(), true).length()), started);
        List<Object> printed = results.stream().map(a -> a.size() == 1 ? (Object) a.get(0) : a).toList();
        return single ? printed.get(0) : printed;
    }

    private static QuestionContext question(Fields f) {
        return new QuestionContext(f.string("question"), f.string("context"));
    }

    /** A text, or {text, text_pair}. */
    private static TextInput textInput(JsonNode v, String name) {
        if (v.isTextual()) {
            return TextInput.of(v.textValue());
        }
        if (v.isObject()) {
            Fields f = Fields.body(v).prefixed(name + ".");
            return TextInput.of(f.string("text"), f.string("text_pair", null));
        }
        throw ApiError.validation("`" + name + "` must be a string or {text, text_pair}, found " + Fields.kind(v));
    }

    /** inputs as a string or a list of strings. */
    private List<String> texts(Fields body) {
        JsonNode v = body.raw("inputs");
        if (v != null && v.isTextual()) {
            return List.of(v.textValue());
        }
        list(body);
        return body.strings("inputs", null);
    }

    /** inputs as a non-empty list within the client batch size. */
    private JsonNode list(Fields body) {
        JsonNode v = body.raw("inputs");
        if (v == null || v.isNull()) {
            throw ApiError.validation("`inputs` is required");
        }
        if (!v.isArray()) {
            throw ApiError.validation("`inputs` must be a string, an object or a list, found " + Fields.kind(v));
        }
        if (v.isEmpty()) {
            throw ApiError.empty("inputs");
        }
        Inputs.checkBatch(v.size(), options.maxClientBatchSize());
        return v;
    }

    private static Object shape(Fields body, List<?> results) {
        return body.raw("inputs").isTextual() ? results.get(0) : results;
    }

    /** The jobs of the inputs, each costing its length in tokens, at most the model's. */
    private <I> List<Inference.Job<I>> jobs(List<I> inputs, Function<I, Integer> length) {
        int limit = model.model().maxTokens();
        List<Inference.Job<I>> jobs = new ArrayList<>(inputs.size());
        for (I in : inputs) {
            jobs.add(new Inference.Job<>(in, Math.min(limit, length.apply(in))));
        }
        return jobs;
    }

    /** Builds options; a value the pipeline refuses is a 422 of {@code parameters}. */
    private static <T> T option(Supplier<T> make) {
        try {
            return make.get();
        } catch (LsgException | IllegalArgumentException e) {
            throw ApiError.validation("`parameters`: " + e.getMessage());
        }
    }
}
