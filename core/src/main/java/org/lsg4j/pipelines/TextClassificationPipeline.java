package org.lsg4j.pipelines;

import org.lsg4j.model.Head;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Hugging Face {@code text-classification} pipeline on a sequence-classification model: the
 * labels of texts or text pairs ({@code <s> A </s></s> B </s>}) with their scores. Immutable and
 * thread-safe once built (when the warning sink is).
 */
public final class TextClassificationPipeline {
    private final TaskModel model;
    private final DocumentEncoder encoder;
    private final Consumer<String> warnings;

    /**
     * A pipeline whose warnings (inputs truncated, options replaced) go to the platform logger,
     * {@code System.getLogger("org.lsg4j.pipelines.TextClassificationPipeline")}, at level WARNING.
     *
     * @param model a model loaded with {@link Head#SEQUENCE_CLASSIFICATION}
     */
    public TextClassificationPipeline(TaskModel model) {
        this(model, Warnings.logged(TextClassificationPipeline.class));
    }

    /**
     * @param model a model loaded with {@link Head#SEQUENCE_CLASSIFICATION}
     * @param warnings where warnings go (inputs truncated, deprecated options)
     */
    public TextClassificationPipeline(TaskModel model, Consumer<String> warnings) {
        TaskModels.requireHead(model, Head.SEQUENCE_CLASSIFICATION, "text-classification");
        this.model = model;
        this.encoder = new DocumentEncoder(model, warnings);
        this.warnings = warnings;
    }

    /**
     * Classifies one input, shaped as the pipeline returns it for that input alone: in the legacy
     * forms a text's result is wrapped in a list and a pair's is not.
     */
    public Classification run(TextInput input, TextClassificationOptions options) {
        return runEach(List.of(input), options).get(0);
    }

    /**
     * Classifies each input in batches, each result shaped as the pipeline returns it for that
     * input alone (as {@link #run(TextInput, TextClassificationOptions)}).
     */
    public List<Classification> runEach(List<TextInput> inputs, TextClassificationOptions options) {
        List<Classification> results = run(inputs, options);
        LabelSelection.Mode mode = options.labels().mode();
        boolean legacy = mode == LabelSelection.Mode.LEGACY || mode == LabelSelection.Mode.ALL_IN_LABEL_ORDER;
        List<Classification> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            Classification c = results.get(i);
            boolean wrap = legacy && inputs.get(i).pair() == null;
            out.add(wrap ? new Classification(c.labels(), c.shape() == Classification.Shape.DICT
                    ? Classification.Shape.LIST : Classification.Shape.WRAPPED_LIST) : c);
        }
        return out;
    }

    /** Classifies each input, each result shaped as the pipeline returns it in a list. */
    public List<Classification> run(List<TextInput> inputs, TextClassificationOptions options) {
        if (options.labels().mode() == LabelSelection.Mode.ALL_IN_LABEL_ORDER) {
            warnings.accept("`return_all_scores` is now deprecated, if want a similar functionality use `top_k=None`"
                    + " instead of `return_all_scores=True` or `top_k=1` instead of `return_all_scores=False`.");
        }
        LsgConfig config = model.model().config();
        FunctionToApply function = options.functionToApply() != null ? options.functionToApply()
                : FunctionToApply.defaultFor(config.problemType(), config.numLabels());
        List<Encoding> encodings = inputs.stream().map(in -> encoder.encode(in, options.maxLength())).toList();
        int labels = config.numLabels();
        return new BatchRunner(model, false).run(encodings, options.batchSize(), (i, outputs, row, length) ->
                select(function.apply(outputs.get("logits").data(), row * labels, labels), config.id2label(),
                        options.labels()));
    }

    private static Classification select(float[] scores, List<String> names, LabelSelection selection) {
        List<LabelScore> all = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            all.add(new LabelScore(names.get(i), scores[i]));
        }
        return switch (selection.mode()) {
            case LEGACY -> new Classification(List.of(all.get(Scores.top(scores, 1)[0])), Classification.Shape.DICT);
            case ALL_IN_LABEL_ORDER -> new Classification(all, Classification.Shape.LIST);
            case ALL -> new Classification(sorted(all), Classification.Shape.LIST);
            case TOP_K -> {
                List<LabelScore> best = sorted(all);
                yield new Classification(best.subList(0, Math.min(selection.k(), best.size())), Classification.Shape.LIST);
            }
        };
    }

    /** By score, highest first; equal scores keep label order. */
    private static List<LabelScore> sorted(List<LabelScore> labels) {
        List<LabelScore> out = new ArrayList<>(labels);
        out.sort(Comparator.comparingDouble(LabelScore::score).reversed());
        return out;
    }
}
