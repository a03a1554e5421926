package org.lsg4j.spark;

import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.FillMaskOptions;
import org.lsg4j.pipelines.FillMaskPipeline;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.TextInput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failing document gives a null output and its reason, and the job goes on; a task that dies
 * mid-partition is retried by Spark and nothing is lost or doubled; a model that cannot serve the
 * task fails the job with lsg4j's message.
 */
class FailureTest {
    /** Tasks killed by {@link #dieOnFirstAttempt}; the test JVM is the executor in local mode. */
    private static final AtomicInteger KILLED = new AtomicInteger();

    private static String longText() {
        String paragraph = String.join(" ", Fixtures.texts(Fixtures.MLM, "feature-extraction"));
        return paragraph.repeat(4);   // about 19,000 tokens: more than the 4,096 the model takes
    }

    @Test
    void failingDocumentsGetAnErrorAndTheOthersTheirOutput() {
        String ok = "Paris is the <mask> of France.";
        String noMask = "No mask here.";
        List<String> texts = Arrays.asList(ok, null, noMask, longText(), "The cat sat on the <mask>.", ok + " " + ok);
        FillMaskPipeline pipeline = new FillMaskPipeline(TaskModel.load(Fixtures.MLM, Head.MASKED_LM), w -> { });
        for (int batchSize : List.of(1, 4)) {
            LsgTransformer t = new LsgTransformer().setTask("fill-mask").setModel(Fixtures.MLM.toString())
                    .setTruncation(false).setBatchSize(batchSize);
            List<Row> rows = t.transform(ParityTest.frame(texts, null)).orderBy("id").collectAsList();
            assertEquals(texts.size(), rows.size());
            for (int i = 0; i < texts.size(); i++) {
                Row r = rows.get(i);
                String error = r.getAs("error");
                switch (i) {
                    case 1 -> assertEquals("the column text is null", error);
                    case 2 -> assertEquals("No mask_token (<mask>) found on the input", error);
                    case 3 -> assertTrue(error.matches("the document has \\d+ tokens, more than the 4096 the model takes,"
                            + " and truncation is off"), error);
                    default -> {
                        assertNull(error, "text " + i);
                        double expected = pipeline.run(texts.get(i), FillMaskOptions.defaults()).masks().get(0).get(0).score();
                        assertEquals(expected, topScore(r), batchSize == 1 ? 0.0 : 1e-4 * expected, "text " + i);
                    }
                }
                if (error != null) {
                    assertTrue(r.isNullAt(r.fieldIndex("output")), "no output with an error");
                }
            }
        }
    }

    private static double topScore(Row r) {
        List<scala.collection.Seq<Row>> masks = r.getList(r.fieldIndex("output"));
        return masks.get(0).head().getDouble(0);
    }

    @Test
    void withTruncationALongDocumentIsCutAsTheSingleMachinePipelineCutsIt() {
        String text = longText();
        EmbeddingPipeline pipeline = new EmbeddingPipeline(TaskModel.load(Fixtures.MLM, Head.BASE), w -> { });
        for (int maxLength : List.of(0, 300)) {
            EmbeddingOptions options = EmbeddingOptions.defaults().withMaxLength(maxLength == 0 ? null : maxLength);
            LsgTransformer t = new LsgTransformer().setModel(Fixtures.MLM.toString()).setMaxLength(maxLength);
            Row r = ParityTest.run(t, ParityTest.frame(List.of(text), null)).get(0);
            assertArrayEquals(ParityTest.widen(pipeline.run(TextInput.of(text), options).vector()),
                    r.<Vector>getAs("output").toArray(), 0.0, "maxLength " + maxLength);
        }
    }

    /** Passes rows on, but the first attempt of partition 0 dies after 5 of them. */
    private static MapPartitionsFunction<Row, Row> dieOnFirstAttempt() {
        return rows -> new Iterator<>() {
            private int seen;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                TaskContext task = TaskContext.get();
                if (++seen == 6 && task.partitionId() == 0 && task.attemptNumber() == 0) {
                    KILLED.incrementAndGet();
                    throw new IllegalStateException("injected: the task dies mid-partition");
                }
                return rows.next();
            }
        };
    }

    @Test
    void aTaskThatDiesMidPartitionIsRecomputedAndLosesNothing() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            texts.add("Document " + i + " is about the city of Paris and its " + "river ".repeat(i));
        }
        Dataset<Row> in = ParityTest.frame(texts, null);
        LsgTransformer t = new LsgTransformer().setModel(Fixtures.MLM.toString()).setBatchSize(2);
        List<Row> clean = t.transform(in).orderBy("id").collectAsList();
        Dataset<Row> out = t.transform(in);
        int before = KILLED.get();
        // one job (no orderBy, whose sampling job would run the stage too): sorted here
        List<Row> retried = new ArrayList<>(out.mapPartitions(dieOnFirstAttempt(), Encoders.row(out.schema())).collectAsList());
        retried.sort(Comparator.comparingInt(r -> r.<Integer>getAs("id")));
        assertEquals(before + 1, KILLED.get(), "the first attempt died");
        assertEquals(texts.size(), retried.size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(i, retried.get(i).<Integer>getAs("id"));
            assertNull(retried.get(i).getAs("error"));
            assertArrayEquals(clean.get(i).<Vector>getAs("output").toArray(),
                    retried.get(i).<Vector>getAs("output").toArray(), 0.0);
        }
    }

    @Test
    void aModelWithoutTheTasksHeadFailsTheJobWithLsg4jsMessage() {
        LsgTransformer t = new LsgTransformer().setTask("classify").setModel(Fixtures.MLM.toString());
        SparkException e = assertThrows(SparkException.class,
                () -> t.transform(ParityTest.frame(List.of("Hello"), null)).collectAsList());
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains("it has no LSGRobertaForSequenceClassification head"), e.getMessage());
    }

    @Test
    void badParamsAreRefusedOnTheDriver() {
        Dataset<Row> in = ParityTest.frame(List.of("Hello"), null);
        assertEquals("unknown task \"translate\"; expected one of embed, classify, fill-mask, token-classify, qa",
                assertThrows(RuntimeException.class, () -> new LsgTransformer().setTask("translate").transform(in)).getMessage());
        assertEquals("pooling must be cls, mean or global, not 'max'",
                assertThrows(RuntimeException.class, () -> new LsgTransformer().setPooling("max").transform(in)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LsgTransformer().setInputCol("body").transform(in))
                .getMessage().startsWith("the input has no column body"));
        assertEquals("the column id must be a string, found int",
                assertThrows(IllegalArgumentException.class, () -> new LsgTransformer().setInputCol("id").transform(in)).getMessage());
        assertEquals("the column pair already exists: choose another outputCol or errorCol",
                assertThrows(IllegalArgumentException.class, () -> new LsgTransformer().setOutputCol("pair").transform(in)).getMessage());
    }
}
