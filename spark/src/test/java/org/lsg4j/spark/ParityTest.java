package org.lsg4j.spark;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.AggregationStrategy;
import org.lsg4j.pipelines.Answer;
import org.lsg4j.pipelines.Classification;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.Entity;
import org.lsg4j.pipelines.EntityGroup;
import org.lsg4j.pipelines.FillMaskCandidate;
import org.lsg4j.pipelines.FillMaskOptions;
import org.lsg4j.pipelines.FillMaskPipeline;
import org.lsg4j.pipelines.FillMaskResult;
import org.lsg4j.pipelines.LabelScore;
import org.lsg4j.pipelines.LabelSelection;
import org.lsg4j.pipelines.Pooling;
import org.lsg4j.pipelines.QuestionAnsweringOptions;
import org.lsg4j.pipelines.QuestionAnsweringPipeline;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.pipelines.TextClassificationOptions;
import org.lsg4j.pipelines.TextClassificationPipeline;
import org.lsg4j.pipelines.TokenClassificationOptions;
import org.lsg4j.pipelines.TokenClassificationPipeline;
import org.lsg4j.pipelines.TokenEntity;
import org.lsg4j.tokenizer.TextInput;

import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every task through Spark (local[2], two partitions) against the single-machine pipeline on the
 * same inputs: with batchSize 1 the outputs are identical, bit for bit; batched by length they
 * agree within float32 rounding of the padding (the fixtures' tolerance) with the same labels.
 */
class ParityTest {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, true)
            .add("pair", DataTypes.StringType, true);

    @TempDir
    static Path temp;
    private static Path tokenClassifier;
    private static Path questionAnswering;

    @BeforeAll
    static void models() {
        tokenClassifier = Fixtures.withByteTokenizer("pool-with-global-false-tokcls", temp.resolve("tokcls"));
        questionAnswering = Fixtures.withByteTokenizer("stride-f4-qa", temp.resolve("qa"));
    }

    /** The texts as rows (id, text, pair) in two partitions. */
    static Dataset<Row> frame(List<String> texts, List<String> pairs) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(i, texts.get(i), pairs == null ? null : pairs.get(i)));
        }
        return SharedSpark.get().createDataFrame(rows, SCHEMA).repartition(2);
    }

    /** The transformer's rows sorted back by id, each checked to have no error. */
    static List<Row> run(LsgTransformer t, Dataset<Row> in) {
        List<Row> out = new ArrayList<>(t.transform(in).orderBy("id").collectAsList());
        for (Row r : out) {
            assertNull(r.getAs("error"), () -> "row " + r.getAs("id") + ": " + r.getAs("error"));
        }
        return out;
    }

    @Test
    void embeddingsAreTheSingleMachineOnesBitForBit() {
        List<String> texts = Fixtures.texts(Fixtures.MLM, "feature-extraction");
        EmbeddingPipeline pipeline = new EmbeddingPipeline(TaskModel.load(Fixtures.MLM, Head.BASE), w -> { });
        for (Pooling pooling : List.of(Pooling.MEAN, Pooling.CLS)) {
            EmbeddingOptions options = EmbeddingOptions.defaults().withPooling(pooling).withNormalize(true);
            LsgTransformer t = new LsgTransformer().setTask("embed").setModel(Fixtures.MLM.toString())
                    .setPooling(pooling.name().toLowerCase()).setNormalize(true).setOutputCol("embedding");
            List<Row> rows = run(t, frame(texts, null));
            for (int i = 0; i < texts.size(); i++) {
                float[] expected = pipeline.run(TextInput.of(texts.get(i)), options).vector();
                assertArrayEquals(widen(expected), rows.get(i).<Vector>getAs("embedding").toArray(), 0.0, pooling + " text " + i);
            }
        }
    }

    @Test
    void batchedByLengthTheEmbeddingsAgreeWithinRounding() {
        List<String> texts = Fixtures.texts(Fixtures.MLM, "feature-extraction");
        EmbeddingPipeline pipeline = new EmbeddingPipeline(TaskModel.load(Fixtures.MLM, Head.BASE), w -> { });
        LsgTransformer t = new LsgTransformer().setModel(Fixtures.MLM.toString()).setBatchSize(4).setMaxBatchTokens(4096);
        List<Row> rows = run(t, frame(texts, null));
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = pipeline.run(TextInput.of(texts.get(i)), EmbeddingOptions.defaults()).vector();
            double[] actual = rows.get(i).<Vector>getAs("output").toArray();
            for (int j = 0; j < expected.length; j++) {
                // the fixtures' feature-extraction tolerance: 1e-4 absolute + 1e-4 relative
                assertEquals(expected[j], actual[j], 1e-4 + 1e-4 * Math.abs(expected[j]), "text " + i + " [" + j + "]");
            }
        }
    }

    @Test
    void classificationOfTextsAndPairsIsTheSingleMachineOne() {
        List<String> texts = Fixtures.texts(Fixtures.CLASSIFIER, "text-classification");
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            pairs.add(i % 3 == 0 ? "Is the museum open on Mondays?" : null);
        }
        TextClassificationPipeline pipeline = new TextClassificationPipeline(
                TaskModel.load(Fixtures.CLASSIFIER, Head.SEQUENCE_CLASSIFICATION), w -> { });
        for (int topK : List.of(0, 10)) {
            TextClassificationOptions options = TextClassificationOptions.defaults()
                    .withLabels(topK == 0 ? LabelSelection.legacy() : LabelSelection.topK(topK));
            LsgTransformer t = new LsgTransformer().setTask("classify").setModel(Fixtures.CLASSIFIER.toString())
                    .setPairCol("pair").setTopK(topK);
            List<Row> rows = run(t, frame(texts, pairs));
            for (int i = 0; i < texts.size(); i++) {
                Classification expected = pipeline.run(TextInput.of(texts.get(i), pairs.get(i)), options);
                List<Row> labels = rows.get(i).getList(rows.get(i).fieldIndex("output"));
                assertEquals(expected.labels().size(), labels.size(), "top_k " + topK + " text " + i);
                for (int k = 0; k < labels.size(); k++) {
                    LabelScore e = expected.labels().get(k);
                    assertEquals(e.label(), labels.get(k).getString(0));
                    assertEquals(e.score(), labels.get(k).getDouble(1), 0.0);
                }
            }
        }
    }

    @Test
    void fillMaskIsTheSingleMachineOne() {
        List<String> texts = Fixtures.texts(Fixtures.MLM, "fill-mask").stream().filter(t -> t.length() < 3000).toList();
        FillMaskPipeline pipeline = new FillMaskPipeline(TaskModel.load(Fixtures.MLM, Head.MASKED_LM), w -> { });
        FillMaskOptions options = FillMaskOptions.defaults().withTopK(3).withTargets(List.of(" capital", " city", "Ġheart"));
        LsgTransformer t = new LsgTransformer().setTask("fill-mask").setModel(Fixtures.MLM.toString()).setTopK(3)
                .setTargets(" capital", " city", "Ġheart");
        List<Row> rows = run(t, frame(texts, null));
        for (int i = 0; i < texts.size(); i++) {
            FillMaskResult expected = pipeline.run(texts.get(i), options);
            List<Seq<Row>> masks = rows.get(i).getList(rows.get(i).fieldIndex("output"));
            assertEquals(expected.masks().size(), masks.size(), "masks of text " + i);
            for (int m = 0; m < masks.size(); m++) {
                List<FillMaskCandidate> e = expected.masks().get(m);
                List<Row> a = CollectionConverters.asJava(masks.get(m));
                assertEquals(e.size(), a.size());
                for (int k = 0; k < e.size(); k++) {
                    assertEquals(e.get(k).score(), a.get(k).getDouble(0), 0.0);
                    assertEquals(e.get(k).token(), a.get(k).getInt(1));
                    assertEquals(e.get(k).tokenStr(), a.get(k).getString(2));
                    assertEquals(e.get(k).sequence(), a.get(k).getString(3));
                }
            }
        }
    }

    @Test
    void tokenClassificationIsTheSingleMachineOneWithAndWithoutAggregation() {
        // the model reads 64 tokens: the longer texts go through overlapping windows
        List<String> texts = List.of("Ada met Bob in Paris.", "Hi Bob",
                "The museum opens at nine and closes at six, every day but Monday. The cat sleeps in the garden.",
                "Trains reach it from every region at all hours, and the cat is asleep on a warm roof in the sun.");
        TokenClassificationPipeline pipeline = new TokenClassificationPipeline(
                TaskModel.load(tokenClassifier, Head.TOKEN_CLASSIFICATION));
        for (AggregationStrategy strategy : List.of(AggregationStrategy.NONE, AggregationStrategy.FIRST)) {
            TokenClassificationOptions options = TokenClassificationOptions.defaults().withAggregation(strategy)
                    .withIgnoreLabels(List.of("LABEL_0"));
            LsgTransformer t = new LsgTransformer().setTask("token-classify").setModel(tokenClassifier.toString())
                    .setAggregationStrategy(strategy.key()).setIgnoreLabels("LABEL_0");
            List<Row> rows = run(t, frame(texts, null));
            int entities = 0;
            for (int i = 0; i < texts.size(); i++) {
                List<Entity> expected = pipeline.run(texts.get(i), options);
                entities += expected.size();
                List<Row> actual = rows.get(i).getList(rows.get(i).fieldIndex("output"));
                assertEquals(expected.size(), actual.size(), strategy + " text " + i);
                for (int k = 0; k < expected.size(); k++) {
                    Row a = actual.get(k);
                    switch (expected.get(k)) {
                        case TokenEntity e -> {
                            assertEquals(List.of(e.entity(), (double) e.score(), e.index(), e.word(), e.start(), e.end()),
                                    List.of(a.getString(0), a.getDouble(1), a.getInt(2), a.getString(3), a.getInt(4), a.getInt(5)));
                        }
                        case EntityGroup g -> {
                            assertEquals(List.of(g.entityGroup(), (double) g.score(), g.word(), g.start(), g.end()),
                                    List.of(a.getString(0), a.getDouble(1), a.getString(2), a.getInt(3), a.getInt(4)));
                        }
                    }
                }
            }
            assertTrue(entities > texts.size(), strategy + ": the texts have entities, " + entities);
        }
    }

    @Test
    void questionAnsweringIsTheSingleMachineOne() {
        List<String> contexts = List.of("The cat sleeps in Paris.",
                "The museum opens at nine and closes at six, every day but Monday. The cat sleeps in the garden all afternoon,"
                        + " and at night it goes to the roof of the station to watch the trains.");
        List<String> questions = List.of("Where is the cat?", "When does it open?");
        QuestionAnsweringPipeline pipeline = new QuestionAnsweringPipeline(
                TaskModel.load(questionAnswering, Head.QUESTION_ANSWERING));
        QuestionAnsweringOptions options = QuestionAnsweringOptions.defaults().withTopK(3).withDocStride(32)
                .withHandleImpossibleAnswer(true);
        LsgTransformer t = new LsgTransformer().setTask("qa").setModel(questionAnswering.toString())
                .setPairCol("pair").setTopK(3).setDocStride(32).setHandleImpossibleAnswer(true);
        List<Row> rows = run(t, frame(contexts, questions));
        for (int i = 0; i < contexts.size(); i++) {
            List<Answer> expected = pipeline.run(questions.get(i), contexts.get(i), options);
            List<Row> actual = rows.get(i).getList(rows.get(i).fieldIndex("output"));
            assertEquals(expected.size(), actual.size());
            for (int k = 0; k < expected.size(); k++) {
                Answer e = expected.get(k);
                Row a = actual.get(k);
                assertEquals(List.of((double) e.score(), e.start(), e.end(), e.answer()),
                        List.of(a.getDouble(0), a.getInt(1), a.getInt(2), a.getString(3)), "context " + i + " rank " + k);
            }
        }
    }

    static double[] widen(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
