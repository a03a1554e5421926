package org.lsg4j.spark;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * lsg4j's pipelines as a Spark ML {@link Transformer}: reads a text column, runs a task (embed,
 * classify, fill-mask, token-classify, qa) on each row, and adds an output column and an error
 * column. One model is loaded per executor JVM and shared by its task threads; forward passes take
 * their kernel threads from the executor's cores ({@link CoreBudget}); documents are batched by
 * length ({@link PartitionRunner}). The output types are listed in {@link SparkTask}.
 *
 * <p>Params (Spark ML's, so PySpark and Spark's ML persistence see them): {@code inputCol}
 * ("text"), {@code outputCol} ("output"), {@code errorCol} ("error"), {@code pairCol} (classify:
 * the second text of a pair; qa: the question, default "question"), {@code task} ("embed"),
 * {@code model} (a folder, a Hub id, or empty for lsg4j's default model), {@code modelConfig}
 * (config.json overrides, {@code KEY=VALUE}), {@code batchSize} (1), {@code maxBatchTokens}
 * (16384), {@code threadsPerForward} (0: spark.task.cpus), {@code truncation} (true),
 * {@code maxLength} (0: the model's), and the task options under the CLI's names:
 * {@code pooling}, {@code normalize}, {@code topK}, {@code functionToApply}, {@code targets},
 * {@code aggregationStrategy}, {@code ignoreLabels}, {@code stride}, {@code maxAnswerLen},
 * {@code handleImpossibleAnswer}, {@code docStride}, {@code maxSeqLen}, {@code alignToWords}.
 *
 * <p>Saved and loaded with Spark ML's writer and reader ({@code write().save(path)},
 * {@link #load(String)}, or inside a {@code Pipeline}); only the params are saved, never the model.
 */
public class LsgTransformer extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;

    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> errorCol;
    private final Param<String> pairCol;
    private final Param<String> task;
    private final Param<String> model;
    private final StringArrayParam modelConfig;
    private final IntParam batchSize;
    private final IntParam maxBatchTokens;
    private final IntParam threadsPerForward;
    private final BooleanParam truncation;
    private final IntParam maxLength;
    private final Param<String> pooling;
    private final BooleanParam normalize;
    private final IntParam topK;
    private final Param<String> functionToApply;
    private final StringArrayParam targets;
    private final Param<String> aggregationStrategy;
    private final StringArrayParam ignoreLabels;
    private final IntParam stride;
    private final IntParam maxAnswerLen;
    private final BooleanParam handleImpossibleAnswer;
    private final IntParam docStride;
    private final IntParam maxSeqLen;
    private final BooleanParam alignToWords;

    /** A transformer with a random uid. */
    public LsgTransformer() {
        this(Identifiable.randomUID("lsg"));
    }

    /** A transformer with the given uid (Spark's reader and PySpark make it this way). */
    public LsgTransformer(String uid) {
        this.uid = uid;   // first: a Param takes its parent's uid when it is made
        inputCol = new Param<>(this, "inputCol", "the text column (qa: the context)");
        outputCol = new Param<>(this, "outputCol", "the output column");
        errorCol = new Param<>(this, "errorCol",
                "the column of error messages: null, or why the row's output is null");
        pairCol = new Param<>(this, "pairCol",
                "classify: the column of the second text of a pair (empty for none); qa: the question column");
        task = new Param<>(this, "task",
                "embed, classify, fill-mask, token-classify or qa");
        model = new Param<>(this, "model",
                "a model folder, a Hub id (ORG/NAME[@REV]), or empty for lsg4j's default model");
        modelConfig = new StringArrayParam(this, "modelConfig",
                "config.json keys overridden when loading, as KEY=VALUE (as lsg --config)");
        batchSize = new IntParam(this, "batchSize",
                "documents per forward pass at most, batched by length (1: each alone, as the CLI's default)");
        maxBatchTokens = new IntParam(this, "maxBatchTokens",
                "padded tokens per forward pass at most, which bounds its activations (a longer document runs alone)");
        threadsPerForward = new IntParam(this, "threadsPerForward",
                "kernel threads of one forward pass, taken from the executor's cores (0: spark.task.cpus)");
        truncation = new BooleanParam(this, "truncation",
                "cut a document longer than the model (or maxLength); when false such a document gets an error");
        maxLength = new IntParam(this, "maxLength",
                "tokens a document is cut to, without a warning (0: the model's length)");
        pooling = new Param<>(this, "pooling", "embed: cls, mean or global");
        normalize = new BooleanParam(this, "normalize", "embed: scale vectors to unit length");
        topK = new IntParam(this, "topK",
                "classify: labels (0: the top label); fill-mask: proposals per mask (0: 5); qa: answers (0: 1)");
        functionToApply = new Param<>(this, "functionToApply",
                "classify: sigmoid, softmax or none (empty: the model's default)");
        targets = new StringArrayParam(this, "targets",
                "fill-mask: candidate tokens scored instead of the whole vocabulary (empty: the vocabulary)");
        aggregationStrategy = new Param<>(this, "aggregationStrategy",
                "token-classify: none, simple, first, average or max");
        ignoreLabels = new StringArrayParam(this, "ignoreLabels",
                "token-classify: labels left out of the results");
        stride = new IntParam(this, "stride",
                "token-classify: overlap of the windows of a long text, in tokens (-1: min(128, window / 2))");
        maxAnswerLen = new IntParam(this, "maxAnswerLen", "qa: longest answer in tokens");
        handleImpossibleAnswer = new BooleanParam(this, "handleImpossibleAnswer",
                "qa: let \"no answer\" compete with the spans");
        docStride = new IntParam(this, "docStride",
                "qa: overlap of the windows of a long context, in tokens (-1: min(maxSeqLen / 2, 128))");
        maxSeqLen = new IntParam(this, "maxSeqLen",
                "qa: tokens per window, question included (-1: the model's length)");
        alignToWords = new BooleanParam(this, "alignToWords",
                "qa: widen answers to the whole words of their first and last tokens");
        setDefault(inputCol, "text");
        setDefault(outputCol, "output");
        setDefault(errorCol, "error");
        setDefault(pairCol, "");
        setDefault(task, SparkTask.EMBED.key());
        setDefault(model, "");
        setDefault(modelConfig, new String[0]);
        setDefault(batchSize, 1);
        setDefault(maxBatchTokens, 16384);
        setDefault(threadsPerForward, 0);
        setDefault(truncation, true);
        setDefault(maxLength, 0);
        setDefault(pooling, "mean");
        setDefault(normalize, false);
        setDefault(topK, 0);
        setDefault(functionToApply, "");
        setDefault(targets, new String[0]);
        setDefault(aggregationStrategy, "none");
        setDefault(ignoreLabels, new String[] {"O"});
        setDefault(stride, -1);
        setDefault(maxAnswerLen, 15);
        setDefault(handleImpossibleAnswer, false);
        setDefault(docStride, -1);
        setDefault(maxSeqLen, -1);
        setDefault(alignToWords, true);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Spark ML's reader of saved transformers. */
    public static MLReader<LsgTransformer> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads a transformer saved with {@code write().save(path)}. */
    public static LsgTransformer load(String path) {
        return read().load(path);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        InferenceSpec spec = spec();
        requireString(schema, getInputCol());
        String pair = pairColumn();
        if (pair != null) {
            requireString(schema, pair);
        }
        for (String added : List.of(getOutputCol(), getErrorCol())) {
            if (Arrays.asList(schema.fieldNames()).contains(added)) {
                throw new IllegalArgumentException("the column " + added + " already exists: choose another outputCol or errorCol");
            }
        }
        if (getOutputCol().equals(getErrorCol())) {
            throw new IllegalArgumentException("outputCol and errorCol are both " + getOutputCol());
        }
        return schema.add(DataTypes.createStructField(getOutputCol(), spec.task().outputType(spec), true))
                .add(DataTypes.createStructField(getErrorCol(), DataTypes.StringType, true));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        StructType in = dataset.schema();
        String pair = pairColumn();
        PartitionRunner runner = new PartitionRunner(spec(), in.fieldIndex(getInputCol()), getInputCol(),
                pair == null ? -1 : in.fieldIndex(pair), pair);
        return dataset.toDF().mapPartitions(runner, Encoders.row(out));
    }

    @Override
    public LsgTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** The pair column the task reads: the question for qa, the pair for classify when set, else none. */
    private String pairColumn() {
        SparkTask t = SparkTask.parse(getTask());
        String p = getPairCol();
        if (t == SparkTask.QA) {
            return p.isEmpty() ? "question" : p;
        }
        return t == SparkTask.CLASSIFY && !p.isEmpty() ? p : null;
    }

    private static void requireString(StructType schema, String column) {
        StructField field = Arrays.stream(schema.fields()).filter(f -> f.name().equals(column)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the input has no column " + column
                        + " (columns: " + String.join(", ", schema.fieldNames()) + ")"));
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("the column " + column + " must be a string, found "
                    + field.dataType().simpleString());
        }
    }

    /** The params as the plain values the executors use, checked. */
    InferenceSpec spec() {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String kv : getModelConfig()) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("modelConfig entries are KEY=VALUE, found \"" + kv + "\"");
            }
            overrides.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
        InferenceSpec spec = new InferenceSpec(SparkTask.parse(getTask()), getModel(), overrides, getBatchSize(),
                getMaxBatchTokens(), getThreadsPerForward(), getTruncation(), getMaxLength(), getPooling(),
                getNormalize(), getTopK(), getFunctionToApply(), List.of(getTargets()), getAggregationStrategy(),
                List.of(getIgnoreLabels()), getStride(), getMaxAnswerLen(), getHandleImpossibleAnswer(), getDocStride(),
                getMaxSeqLen(), getAlignToWords());
        spec.validate();
        return spec;
    }

    // Params, getters and setters, in the order of the class comment.

    public Param<String> inputCol() {
        return inputCol;
    }

    public String getInputCol() {
        return $(inputCol);
    }

    public LsgTransformer setInputCol(String value) {
        return (LsgTransformer) set(inputCol, value);
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public String getOutputCol() {
        return $(outputCol);
    }

    public LsgTransformer setOutputCol(String value) {
        return (LsgTransformer) set(outputCol, value);
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public String getErrorCol() {
        return $(errorCol);
    }

    public LsgTransformer setErrorCol(String value) {
        return (LsgTransformer) set(errorCol, value);
    }

    public Param<String> pairCol() {
        return pairCol;
    }

    public String getPairCol() {
        return $(pairCol);
    }

    public LsgTransformer setPairCol(String value) {
        return (LsgTransformer) set(pairCol, value);
    }

    public Param<String> task() {
        return task;
    }

    public String getTask() {
        return $(task);
    }

    public LsgTransformer setTask(String value) {
        return (LsgTransformer) set(task, value);
    }

    public Param<String> model() {
        return model;
    }

    public String getModel() {
        return $(model);
    }

    /** A folder, a Hub id, or null or empty for lsg4j's default model. */
    public LsgTransformer setModel(String value) {
        return (LsgTransformer) set(model, value == null ? "" : value);
    }

    public StringArrayParam modelConfig() {
        return modelConfig;
    }

    public String[] getModelConfig() {
        return $(modelConfig);
    }

    public LsgTransformer setModelConfig(String... value) {
        return (LsgTransformer) set(modelConfig, value);
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public int getBatchSize() {
        return (Integer) $(batchSize);
    }

    public LsgTransformer setBatchSize(int value) {
        return (LsgTransformer) set(batchSize, value);
    }

    public IntParam maxBatchTokens() {
        return maxBatchTokens;
    }

    public int getMaxBatchTokens() {
        return (Integer) $(maxBatchTokens);
    }

    public LsgTransformer setMaxBatchTokens(int value) {
        return (LsgTransformer) set(maxBatchTokens, value);
    }

    public IntParam threadsPerForward() {
        return threadsPerForward;
    }

    public int getThreadsPerForward() {
        return (Integer) $(threadsPerForward);
    }

    public LsgTransformer setThreadsPerForward(int value) {
        return (LsgTransformer) set(threadsPerForward, value);
    }

    public BooleanParam truncation() {
        return truncation;
    }

    public boolean getTruncation() {
        return (Boolean) $(truncation);
    }

    public LsgTransformer setTruncation(boolean value) {
        return (LsgTransformer) set(truncation, value);
    }

    public IntParam maxLength() {
        return maxLength;
    }

    public int getMaxLength() {
        return (Integer) $(maxLength);
    }

    public LsgTransformer setMaxLength(int value) {
        return (LsgTransformer) set(maxLength, value);
    }

    public Param<String> pooling() {
        return pooling;
    }

    public String getPooling() {
        return $(pooling);
    }

    public LsgTransformer setPooling(String value) {
        return (LsgTransformer) set(pooling, value);
    }

    public BooleanParam normalize() {
        return normalize;
    }

    public boolean getNormalize() {
        return (Boolean) $(normalize);
    }

    public LsgTransformer setNormalize(boolean value) {
        return (LsgTransformer) set(normalize, value);
    }

    public IntParam topK() {
        return topK;
    }

    public int getTopK() {
        return (Integer) $(topK);
    }

    public LsgTransformer setTopK(int value) {
        return (LsgTransformer) set(topK, value);
    }

    public Param<String> functionToApply() {
        return functionToApply;
    }

    public String getFunctionToApply() {
        return $(functionToApply);
    }

    public LsgTransformer setFunctionToApply(String value) {
        return (LsgTransformer) set(functionToApply, value);
    }

    public StringArrayParam targets() {
        return targets;
    }

    public String[] getTargets() {
        return $(targets);
    }

    public LsgTransformer setTargets(String... value) {
        return (LsgTransformer) set(targets, value);
    }

    public Param<String> aggregationStrategy() {
        return aggregationStrategy;
    }

    public String getAggregationStrategy() {
        return $(aggregationStrategy);
    }

    public LsgTransformer setAggregationStrategy(String value) {
        return (LsgTransformer) set(aggregationStrategy, value);
    }

    public StringArrayParam ignoreLabels() {
        return ignoreLabels;
    }

    public String[] getIgnoreLabels() {
        return $(ignoreLabels);
    }

    public LsgTransformer setIgnoreLabels(String... value) {
        return (LsgTransformer) set(ignoreLabels, value);
    }

    public IntParam stride() {
        return stride;
    }

    public int getStride() {
        return (Integer) $(stride);
    }

    public LsgTransformer setStride(int value) {
        return (LsgTransformer) set(stride, value);
    }

    public IntParam maxAnswerLen() {
        return maxAnswerLen;
    }

    public int getMaxAnswerLen() {
        return (Integer) $(maxAnswerLen);
    }

    public LsgTransformer setMaxAnswerLen(int value) {
        return (LsgTransformer) set(maxAnswerLen, value);
    }

    public BooleanParam handleImpossibleAnswer() {
        return handleImpossibleAnswer;
    }

    public boolean getHandleImpossibleAnswer() {
        return (Boolean) $(handleImpossibleAnswer);
    }

    public LsgTransformer setHandleImpossibleAnswer(boolean value) {
        return (LsgTransformer) set(handleImpossibleAnswer, value);
    }

    public IntParam docStride() {
        return docStride;
    }

    public int getDocStride() {
        return (Integer) $(docStride);
    }

    public LsgTransformer setDocStride(int value) {
        return (LsgTransformer) set(docStride, value);
    }

    public IntParam maxSeqLen() {
        return maxSeqLen;
    }

    public int getMaxSeqLen() {
        return (Integer) $(maxSeqLen);
    }

    public LsgTransformer setMaxSeqLen(int value) {
        return (LsgTransformer) set(maxSeqLen, value);
    }

    public BooleanParam alignToWords() {
        return alignToWords;
    }

    public boolean getAlignToWords() {
        return (Boolean) $(alignToWords);
    }

    public LsgTransformer setAlignToWords(boolean value) {
        return (LsgTransformer) set(alignToWords, value);
    }
}
