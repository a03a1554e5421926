package org.lsg4j.spark;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.TextInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A model folder Spark distributed to the executors is found by its name. */
class ModelLocationTest {
    /**
     * Outside any temporary folder of a test: the shared SparkContext keeps the file registered and
     * fetches it again for later stages of other tests, which fail if it has changed or gone.
     */
    private static final Path SOURCE = Path.of("target", "shipped-model-" + ProcessHandle.current().pid());

    @Test
    void aFolderAddedToTheSparkContextIsFoundByItsName() throws IOException {
        Path shipped = Files.createDirectories(SOURCE.resolve("lsg4j-shipped-mlm")).toAbsolutePath();
        try (var files = Files.list(Fixtures.MLM)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().endsWith(".jsonl")).toList()) {
                Files.copy(f, shipped.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertFalse(Files.exists(Path.of("lsg4j-shipped-mlm")), "not in the working folder");
        SharedSpark.get().sparkContext().addFile(shipped.toString(), true);   // as --archives or --files would

        String text = "Paris is the capital of France.";
        LsgTransformer t = new LsgTransformer().setModel("lsg4j-shipped-mlm");
        Row r = ParityTest.run(t, ParityTest.frame(List.of(text), null)).get(0);
        float[] expected = new EmbeddingPipeline(TaskModel.load(Fixtures.MLM, Head.BASE), w -> { })
                .run(TextInput.of(text), EmbeddingOptions.defaults()).vector();
        assertArrayEquals(ParityTest.widen(expected), r.<Vector>getAs("output").toArray(), 0.0);
    }
}
