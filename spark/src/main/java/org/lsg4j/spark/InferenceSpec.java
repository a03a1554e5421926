package org.lsg4j.spark;

import org.lsg4j.pipelines.AggregationStrategy;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.FillMaskOptions;
import org.lsg4j.pipelines.FunctionToApply;
import org.lsg4j.pipelines.LabelSelection;
import org.lsg4j.pipelines.Pooling;
import org.lsg4j.pipelines.QuestionAnsweringOptions;
import org.lsg4j.pipelines.TextClassificationOptions;
import org.lsg4j.pipelines.TokenClassificationOptions;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything an executor needs to run a {@link LsgTransformer}, read from its params on the driver
 * and shipped with the tasks: plain values only, so that it serialises without Spark's params and
 * the pipelines' option records are built where they run.
 *
 * @param task              what to run
 * @param model             a folder, a Hub id, or blank for lsg4j's default model
 * @param overrides         config.json keys overridden at load, as {@code --config KEY=VALUE}
 * @param batchSize         documents per forward pass at most
 * @param maxBatchTokens    padded tokens per forward pass at most (a longer document runs alone)
 * @param threadsPerForward kernel threads of one forward pass; 0 for the task's spark.task.cpus
 * @param truncation        cut documents that are too long (true), or fail them (false)
 * @param maxLength         tokens a document is cut to (or fails past, without truncation); 0 for the model's length
 * @param pooling           embed: cls, mean or global
 * @param normalize         embed: scale to unit length
 * @param topK              classify, fill-mask, qa: results per document (per mask); 0 for the pipeline's default
 * @param functionToApply   classify: sigmoid, softmax, none, or blank for the model's default
 * @param targets           fill-mask: candidate tokens, or empty for the whole vocabulary
 * @param aggregation       token-classify: none, simple, first, average or max
 * @param ignoreLabels      token-classify: labels left out
 * @param stride            token-classify: window overlap in tokens; negative for the default
 * @param maxAnswerLen      qa: longest answer in tokens
 * @param handleImpossible  qa: let "no answer" compete
 * @param docStride         qa: window overlap in tokens; negative for the default
 * @param maxSeqLen         qa: tokens per window; negative for the model's length
 * @param alignToWords      qa: widen answers to whole words
 */
record InferenceSpec(SparkTask task, String model, Map<String, String> overrides, int batchSize, int maxBatchTokens,
                     int threadsPerForward, boolean truncation, int maxLength, String pooling, boolean normalize,
                     int topK, String functionToApply, List<String> targets, String aggregation,
                     List<String> ignoreLabels, int stride, int maxAnswerLen, boolean handleImpossible, int docStride,
                     int maxSeqLen, boolean alignToWords) implements Serializable {
    InferenceSpec {
        overrides = Map.copyOf(overrides);
        targets = List.copyOf(targets);
        ignoreLabels = List.copyOf(ignoreLabels);
    }

    /** The key of the executor's loaded model. */
    ExecutorModels.Key modelKey() {
        return new ExecutorModels.Key(model == null ? "" : model, task.head(), overrides);
    }

    /** The explicit truncation length, or null for the model's. */
    Integer maxLengthOrNull() {
        return maxLength > 0 ? maxLength : null;
    }

    EmbeddingOptions embeddingOptions(int batch) {
        return new EmbeddingOptions(Pooling.parse(pooling), normalize, maxLengthOrNull(), batch);
    }

    TextClassificationOptions classificationOptions(int batch) {
        return new TextClassificationOptions(topK > 0 ? LabelSelection.topK(topK) : LabelSelection.legacy(),
                functionToApply.isBlank() ? null : FunctionToApply.parse(functionToApply), maxLengthOrNull(), batch);
    }

    FillMaskOptions fillMaskOptions(int batch) {
        return new FillMaskOptions(topK > 0 ? topK : FillMaskOptions.DEFAULT_TOP_K, targets.isEmpty() ? null : targets,
                maxLengthOrNull(), batch);
    }

    TokenClassificationOptions tokenClassificationOptions() {
        return new TokenClassificationOptions(AggregationStrategy.parse(aggregation), ignoreLabels, stride);
    }

    QuestionAnsweringOptions questionAnsweringOptions() {
        return new QuestionAnsweringOptions(topK > 0 ? topK : 1, maxAnswerLen, handleImpossible, docStride, maxSeqLen,
                alignToWords);
    }

    /** Fails with a one-line message on a value the pipelines would refuse, before any task runs. */
    void validate() {
        if (batchSize < 1 || maxBatchTokens < 1 || threadsPerForward < 0 || maxLength < 0 || topK < 0) {
            throw new IllegalArgumentException("batchSize and maxBatchTokens must be >= 1, threadsPerForward,"
                    + " maxLength and topK >= 0");
        }
        switch (task) {
            case EMBED -> embeddingOptions(1);
            case CLASSIFY -> classificationOptions(1);
            case FILL_MASK -> fillMaskOptions(1);
            case TOKEN_CLASSIFY -> tokenClassificationOptions();
            case QA -> questionAnsweringOptions();
        }
    }
}
