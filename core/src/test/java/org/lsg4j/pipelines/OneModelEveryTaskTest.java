package org.lsg4j.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsg4j.model.Head;
import org.lsg4j.tokenizer.TextInput;

/** A model loaded with a task head embeds as the same checkpoint loaded as the base model does: no second load. */
class OneModelEveryTaskTest {
    private static Path fixture() {
        return org.lsg4j.RepoFixtures.tinyMlm();
    }

    @Test
    void maskedLmModelEmbedsAsTheBaseModel() throws Exception {
        TaskModel mlm = TaskModel.load(fixture(), Head.MASKED_LM);
        TaskModel base = TaskModel.load(fixture(), Head.BASE);
        List<TextInput> docs = List.of(TextInput.of("A short one."), TextInput.of("A somewhat longer document, padded less."));
        for (Pooling pooling : Pooling.values()) {
            EmbeddingOptions options = EmbeddingOptions.defaults().withPooling(pooling).withBatchSize(2);
            List<Embedding> fromMlm = new EmbeddingPipeline(mlm, w -> { }).run(docs, options);
            List<Embedding> fromBase = new EmbeddingPipeline(base, w -> { }).run(docs, options);
            assertEquals(2, fromMlm.size());
            for (int i = 0; i < docs.size(); i++) {
                assertArrayEquals(fromBase.get(i).vector(), fromMlm.get(i).vector(), pooling + " " + i);
            }
        }
        TokenFeatures f = new FeatureExtractionPipeline(mlm, w -> { }).run(docs.get(0), FeatureExtractionOptions.defaults());
        TokenFeatures g = new FeatureExtractionPipeline(base, w -> { }).run(docs.get(0), FeatureExtractionOptions.defaults());
        assertArrayEquals(g.rows(), f.rows());
    }
}
