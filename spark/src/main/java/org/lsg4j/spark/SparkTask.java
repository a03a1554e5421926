package org.lsg4j.spark;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.AggregationStrategy;
import org.lsg4j.pipelines.Answer;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.Entity;
import org.lsg4j.pipelines.EntityGroup;
import org.lsg4j.pipelines.FillMaskCandidate;
import org.lsg4j.pipelines.FillMaskPipeline;
import org.lsg4j.pipelines.LabelScore;
import org.lsg4j.pipelines.QuestionAnsweringPipeline;
import org.lsg4j.pipelines.QuestionContext;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.pipelines.TextClassificationPipeline;
import org.lsg4j.pipelines.TokenClassificationPipeline;
import org.lsg4j.pipelines.TokenEntity;
import org.lsg4j.tokenizer.TextInput;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tasks a {@link LsgTransformer} runs: for each, the head its model needs, the Spark type of
 * its output column, and how a batch of documents goes through its {@code org.lsg4j.pipelines}
 * pipeline and comes out as Spark values. The values are the pipelines' results field for field,
 * under Hugging Face's names, float32 scores widened to double (as the CLI prints them):
 * <ul>
 *   <li>embed: a dense {@code ml.linalg.Vector} (VectorUDT), for Spark ML's own algorithms;</li>
 *   <li>classify: {@code array<struct<label, score>>}, best first (one label unless topK is set);</li>
 *   <li>fill-mask: {@code array<array<struct<score, token, token_str, sequence>>>}, one list per mask
 *       (Hugging Face unwraps the list of a text with one mask; a column keeps one shape);</li>
 *   <li>token-classify: {@code array<struct<entity, score, index, word, start, end>>}, or with an
 *       aggregation strategy {@code array<struct<entity_group, score, word, start, end>>};</li>
 *   <li>qa: {@code array<struct<score, start, end, answer>>}, best first.</li>
 * </ul>
 */
enum SparkTask {
    EMBED("embed", Head.BASE, false) {
        @Override
        DataType outputType(InferenceSpec spec) {
            return SQLDataTypes.VectorType();
        }

        @Override
        Run start(TaskModel model, InferenceSpec spec, Consumer<String> warnings) {
            EmbeddingPipeline pipeline = new EmbeddingPipeline(model, warnings);
            return docs -> pipeline.run(docs.stream().map(Document::input).toList(), spec.embeddingOptions(docs.size()))
                    .stream().map(e -> (Object) Vectors.dense(widen(e.vector()))).toList();
        }
    },
    CLASSIFY("classify", Head.SEQUENCE_CLASSIFICATION, false) {
        @Override
        DataType outputType(InferenceSpec spec) {
            return DataTypes.createArrayType(struct("label", DataTypes.StringType, "score", DataTypes.DoubleType), false);
        }

        @Override
        Run start(TaskModel model, InferenceSpec spec, Consumer<String> warnings) {
            TextClassificationPipeline pipeline = new TextClassificationPipeline(model, warnings);
            return docs -> pipeline.run(docs.stream().map(Document::input).toList(), spec.classificationOptions(docs.size()))
                    .stream().map(c -> (Object) rows(c.labels(), (LabelScore l) -> RowFactory.create(l.label(), l.score())))
                    .toList();
        }
    },
    FILL_MASK("fill-mask", Head.MASKED_LM, false) {
        @Override
        DataType outputType(InferenceSpec spec) {
            return DataTypes.createArrayType(DataTypes.createArrayType(struct("score", DataTypes.DoubleType,
                    "token", DataTypes.IntegerType, "token_str", DataTypes.StringType,
                    "sequence", DataTypes.StringType), false), false);
        }

        @Override
        Run start(TaskModel model, InferenceSpec spec, Consumer<String> warnings) {
            FillMaskPipeline pipeline = new FillMaskPipeline(model, warnings);
            FillMaskPipeline.Configured configured = pipeline.configure(spec.fillMaskOptions(spec.batchSize()));
            return docs -> configured.run(docs.stream().map(Document::text).toList()).stream()
                    .map(r -> (Object) seq(r.masks().stream().map(candidates -> rows(candidates, (FillMaskCandidate c) ->
                            RowFactory.create(c.score(), c.token(), c.tokenStr(), c.sequence()))).toList()))
                    .toList();
        }
    },
    TOKEN_CLASSIFY("token-classify", Head.TOKEN_CLASSIFICATION, true) {
        @Override
        DataType outputType(InferenceSpec spec) {
            StructType entity = AggregationStrategy.parse(spec.aggregation()) == AggregationStrategy.NONE
                    ? struct("entity", DataTypes.StringType, "score", DataTypes.DoubleType, "index", DataTypes.IntegerType,
                    "word", DataTypes.StringType, "start", DataTypes.IntegerType, "end", DataTypes.IntegerType)
                    : struct("entity_group", DataTypes.StringType, "score", DataTypes.DoubleType,
                    "word", DataTypes.StringType, "start", DataTypes.IntegerType, "end", DataTypes.IntegerType);
            return DataTypes.createArrayType(entity, false);
        }

        @Override
        Run start(TaskModel model, InferenceSpec spec, Consumer<String> warnings) {
            TokenClassificationPipeline pipeline = new TokenClassificationPipeline(model);
            return docs -> pipeline.run(docs.stream().map(Document::text).toList(), spec.tokenClassificationOptions(),
                    spec.batchSize()).stream().map(entities -> (Object) rows(entities, SparkTask::entityRow)).toList();
        }
    },
    QA("qa", Head.QUESTION_ANSWERING, true) {
        @Override
        DataType outputType(InferenceSpec spec) {
            return DataTypes.createArrayType(struct("score", DataTypes.DoubleType, "start", DataTypes.IntegerType,
                    "end", DataTypes.IntegerType, "answer", DataTypes.StringType), false);
        }

        @Override
        Run start(TaskModel model, InferenceSpec spec, Consumer<String> warnings) {
            QuestionAnsweringPipeline pipeline = new QuestionAnsweringPipeline(model);
            return docs -> pipeline.run(docs.stream().map(d -> new QuestionContext(d.text(), d.pair())).toList(),
                            spec.questionAnsweringOptions(), spec.batchSize()).stream()
                    .map(answers -> (Object) rows(answers, (Answer a) ->
                            RowFactory.create((double) a.score(), a.start(), a.end(), a.answer())))
                    .toList();
        }
    };

    private final String key;
    private final Head head;
    private final boolean windowed;

    SparkTask(String key, Head head, boolean windowed) {
        this.key = key;
        this.head = head;
        this.windowed = windowed;
    }

    /** A pipeline ready for batches: one Spark value per document, in order. Thread-safe. */
    @FunctionalInterface
    interface Run {
        List<Object> run(List<Document> docs);
    }

    /**
     * One input: a text and its second string (classify: the pair, may be null; qa: the text is
     * the question and the pair the context).
     */
    record Document(String text, String pair) {
        TextInput input() {
            return TextInput.of(text, pair);
        }
    }

    /** The Spark type of the output column. */
    abstract DataType outputType(InferenceSpec spec);

    /** The pipeline of this task on a model. */
    abstract Run start(TaskModel model, InferenceSpec spec, Consumer<String> warnings);

    /** The name used in the task param (as the CLI's command). */
    String key() {
        return key;
    }

    Head head() {
        return head;
    }

    /**
     * Whether a document of any length is read in windows (token-classify, qa) rather than cut or,
     * without truncation, refused.
     */
    boolean windowed() {
        return windowed;
    }

    /** The task named {@code key}. */
    static SparkTask parse(String key) {
        for (SparkTask t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new LsgException("unknown task \"" + key + "\"; expected one of "
                + Arrays.stream(values()).map(SparkTask::key).collect(Collectors.joining(", ")));
    }

    private static Row entityRow(Entity e) {
        return switch (e) {
            case TokenEntity t -> RowFactory.create(t.entity(), (double) t.score(), t.index(), t.word(), t.start(), t.end());
            case EntityGroup g -> RowFactory.create(g.entityGroup(), (double) g.score(), g.word(), g.start(), g.end());
        };
    }

    /** The rows of a list, as the Scala sequence an array column holds. */
    private static <T> Seq<Row> rows(List<T> items, Function<T, Row> row) {
        return seq(items.stream().map(row).toList());
    }

    private static <T> Seq<T> seq(List<T> items) {
        return CollectionConverters.asScala(items).toList();
    }

    private static double[] widen(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** A struct of non-null fields from (name, type) pairs. */
    private static StructType struct(Object... namesAndTypes) {
        StructField[] fields = new StructField[namesAndTypes.length / 2];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = DataTypes.createStructField((String) namesAndTypes[2 * i], (DataType) namesAndTypes[2 * i + 1], false);
        }
        return DataTypes.createStructType(fields);
    }
}
