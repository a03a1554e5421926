package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lsg embed} against the feature-extraction fixtures, and {@code lsg info}. */
class EmbedAndInfoCommandTest {
    private static final String MLM = CliRun.model("mlm-norm-b16");

    private static JsonNode firstFeatureCase() {
        return CliRun.cases("mlm-norm-b16").stream().filter(c -> c.get("task").asText().equals("feature-extraction"))
                .findFirst().orElseThrow();
    }

    @Test
    void featuresAreThePipelineOutput() {
        JsonNode c = firstFeatureCase();
        CliRun r = CliRun.run("embed", "--model", MLM, "--features", c.get("inputs").asText()).expectExit(0);
        CliRun.assertJsonClose(c.get("output"), r.json().get(0), 1e-4, 1e-4, "features");
    }

    @Test
    void poolingsReadTheFeatures() {
        JsonNode c = firstFeatureCase();
        JsonNode rows = c.get("output").get(0);
        String text = c.get("inputs").asText();
        JsonNode cls = CliRun.run("embed", "--model", MLM, "--pooling", "cls", text).expectExit(0).json().get(0);
        JsonNode global = CliRun.run("embed", "--model", MLM, "--pooling", "global", text).expectExit(0).json().get(0);
        JsonNode mean = CliRun.run("embed", "--model", MLM, text).expectExit(0).json().get(0);
        JsonNode unit = CliRun.run("embed", "--model", MLM, "--normalize", text).expectExit(0).json().get(0);
        double norm = 0;
        for (int j = 0; j < rows.get(0).size(); j++) {
            double sum = 0;
            for (JsonNode row : rows) {
                sum += row.get(j).asDouble();
            }
            assertEquals(rows.get(0).get(j).asDouble(), cls.get(j).asDouble(), 1e-4, "cls is row 0");
            assertEquals(cls.get(j).asDouble(), global.get(j).asDouble(), 1e-6, "pool_with_global: row 0 is the global token");
            assertEquals(sum / rows.size(), mean.get(j).asDouble(), 1e-4, "mean over the tokens");
            norm += unit.get(j).asDouble() * unit.get(j).asDouble();
        }
        assertEquals(1, norm, 1e-5);
    }

    @Test
    void infoSummarisesTheCheckpoint() {
        CliRun r = CliRun.run("info", "--model", CliRun.model("text-cls-multilabel-bos_pooling-b32"),
                "--length", "60", "--length", "4096").expectExit(0);
        assertTrue(r.out().contains("architecture:   LSGRobertaForSequenceClassification"), r.out());
        assertTrue(r.out().contains("labels:         sports, politics, science, arts (multi_label_classification)"), r.out());
        assertTrue(r.out().contains("full (short path), 63 keys per query (3 global + 60 tokens)"), r.out());
        assertTrue(r.out().contains("128 blocks of 32, 163 keys per query (3 global + 96 local + 64 sparse bos_pooling)"),
                r.out());
        assertTrue(r.out().matches("(?s).*parameters:\\s+[0-9,]+\\n.*"), r.out());
    }
}
