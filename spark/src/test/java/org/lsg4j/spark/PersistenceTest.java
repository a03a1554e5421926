package org.lsg4j.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.StringArrayParam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spark ML's writer and reader keep every param; PySpark's way of setting params by name works. */
class PersistenceTest {
    @TempDir
    Path dir;

    private static LsgTransformer configured() {
        return new LsgTransformer().setTask("classify").setModel("org/name@rev").setModelConfig("num_global_tokens=16")
                .setInputCol("body").setPairCol("title").setOutputCol("labels").setErrorCol("why").setTopK(2)
                .setFunctionToApply("sigmoid").setBatchSize(8).setMaxBatchTokens(32768).setThreadsPerForward(2)
                .setTruncation(false).setMaxLength(512).setTargets("Ġcity").setIgnoreLabels("O", "MISC");
    }

    private static void assertSameParams(LsgTransformer expected, LsgTransformer actual) {
        assertEquals(expected.uid(), actual.uid());
        assertEquals(25, expected.params().length);
        for (Param<?> p : expected.params()) {
            Param<Object> q = actual.getParam(p.name());
            assertEquals(expected.isSet(p), actual.isSet(q), p.name());
            assertTrue(Objects.deepEquals(expected.getOrDefault(p), actual.getOrDefault(q)), p.name());
        }
    }

    @Test
    void savedAndLoadedAloneOrInAPipeline() throws IOException {
        LsgTransformer t = configured();
        t.write().save(dir.resolve("alone").toString());
        assertSameParams(t, LsgTransformer.load(dir.resolve("alone").toString()));

        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {t})
                .fit(ParityTest.frame(List.of("unused"), null).withColumnRenamed("text", "body").withColumnRenamed("pair", "title"));
        model.write().save(dir.resolve("pipeline").toString());
        assertSameParams(t, (LsgTransformer) PipelineModel.load(dir.resolve("pipeline").toString()).stages()[0]);
    }

    @Test
    void paramsSetByNameAsPySparkSetsThem() {
        // PySpark makes the Java object with its uid, then sets each param as getParam(name).w(value)
        LsgTransformer t = new LsgTransformer("lsg_from_python");
        t.set(t.getParam("task").w("fill-mask"));
        t.set(t.getParam("topK").w(3));
        t.set(((StringArrayParam) (Param<?>) t.getParam("targets")).w(List.of(" capital", "Ġcity")));
        t.set(new ParamPair<>(t.getParam("normalize"), true));
        assertEquals("fill-mask", t.getTask());
        assertEquals(3, t.getTopK());
        assertArrayEquals(new String[] {" capital", "Ġcity"}, t.getTargets());
        assertEquals(true, t.getNormalize());
        assertEquals("lsg_from_python", t.copy(new ParamMap()).uid());
    }

    @Test
    void anEmptyOrNullModelMeansTheDefaultModel() {
        assertEquals("", new LsgTransformer().getModel());
        assertEquals("", new LsgTransformer().setModel(null).getModel());
        assertEquals("", new LsgTransformer().spec().modelKey().model());
    }
}
