package org.lsg4j.pipelines;

import org.junit.jupiter.api.Test;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.Head;
import org.lsg4j.tokenizer.TextInput;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A TaskModel as a library user holds it: closed by try-with-resources, printed, logging its pipelines' warnings. */
class TaskModelTest {
    private static final TaskModel BASE = TaskModel.load(PipelineFixtures.ROOT.resolve("mlm-norm-b16"), Head.BASE);
    private static final TextInput TEXT = TextInput.of("Rain fell all afternoon, and the river rose.");

    private static float[] embed(TaskModel m) {
        return new EmbeddingPipeline(m, w -> { }).run(TEXT, EmbeddingOptions.defaults()).vector();
    }

    @Test
    void closeStopsThePoolWithThreadsMadeAndNothingElse() {
        float[] expected = embed(BASE);
        TaskModel own;
        try (TaskModel m = BASE.withThreads(2)) {
            own = m;
            assertEquals(2, m.workers().count());
            assertArrayEquals(expected, embed(m));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> embed(own));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());

        try (Workers shared = Workers.create(2)) {
            try (TaskModel m = BASE.withWorkers(shared)) {
                assertArrayEquals(expected, embed(m));
            }
            assertArrayEquals(expected, embed(BASE.withWorkers(shared)), "the caller's workers outlive the model");
        }
        BASE.close();
        assertArrayEquals(expected, embed(BASE), "a model on the common pool is unaffected by close");
    }

    @Test
    void toStringSaysWhatTheModelIs() {
        String s = BASE.withThreads(1).toString();
        assertTrue(s.startsWith("TaskModel[LsgModel[LSGRobertaModel, "), s);
        assertTrue(s.contains(" layers x ") && s.contains(" heads, ") && s.contains("LSG norm x"), s);
        assertTrue(s.contains("Tokenizer[BPE, ") && s.endsWith(", 1 workers]"), s);
    }

    @Test
    void pipelinesWithoutACallbackLogTheirWarnings() {
        Logger logger = Logger.getLogger(FeatureExtractionPipeline.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            String text = "The river rose higher every day. ".repeat(700);
            TokenFeatures f = new FeatureExtractionPipeline(BASE).run(TextInput.of(text), FeatureExtractionOptions.defaults());
            assertEquals(4096, f.length());
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(1, records.size(), records.toString());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertTrue(records.get(0).getMessage().contains("truncated to 4096"), records.get(0).getMessage());
    }
}
