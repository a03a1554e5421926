package org.lsg4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.lsg4j.LsgException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config validation: the reference's warnings and errors, and clear messages for malformed values. */
class LsgConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of(System.getProperty("lsg.shared", "../shared"), "fixtures", "lsg-roberta");

    /** Each "[WARNING CONFIG]" the reference printed for a case's constructor arguments is reported once. */
    @Test
    void warnsWhereTheReferenceWarns() throws IOException {
        int checked = 0;
        try (var dirs = Files.list(FIXTURES)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                JsonNode info = JSON.readTree(dir.resolve("case.json").toFile());
                boolean configError = "config".equals(info.path("expect_error").path("stage").asText());
                if (configError || !info.has("config_overrides")) {
                    continue;
                }
                List<String> expected = new ArrayList<>();
                info.path("reference_warnings").forEach(w -> {
                    if (w.asText().startsWith("[WARNING CONFIG]")) {
                        expected.add(w.asText());
                    }
                });
                LsgConfig c = LsgConfig.fromJson(info.get("config_overrides"), dir.getFileName().toString());
                assertEquals(expected.size(), c.warnings().size(), dir.getFileName() + ": " + c.warnings() + " vs " + expected);
                for (int i = 0; i < expected.size(); i++) {
                    String topic = expected.get(i).contains("num_global_tokens") ? "num_global_tokens"
                            : expected.get(i).contains("pool_with_global") ? "pool_with_global" : "sparsity_type";
                    assertTrue(c.warnings().get(i).contains(topic), c.warnings().get(i));
                    checked++;
                }
            }
        }
        assertEquals(3, checked, "the public fixtures carry three config warnings");
    }

    @Test
    void clampsAndForcesAsTheReference() {
        LsgConfig low = parse("{\"num_global_tokens\": 0}");
        assertEquals(1, low.numGlobalTokens());
        LsgConfig high = parse("{\"num_global_tokens\": 600}");
        assertEquals(512, high.numGlobalTokens());
        LsgConfig mask = parse("{\"mask_first_token\": true, \"pool_with_global\": false}");
        assertTrue(mask.poolWithGlobal());
        assertEquals(1, mask.warnings().size());
        LsgConfig stride = parse("{\"sparsity_type\": \"stride\", \"sparsity_factor\": 16, \"block_size\": 32}");
        assertTrue(stride.warnings().get(0).contains("not recommended"), stride.warnings().toString());
        LsgConfig relative = parse("{\"position_embedding_type\": \"relative_key\"}");
        assertEquals(1, relative.warnings().size());
    }

    @Test
    void sparsityTypeNullAndUnknownMeanNone() {
        assertEquals(SparsityType.NONE, parse("{\"sparsity_type\": null}").sparsityType());
        assertTrue(parse("{\"sparsity_type\": null}").warnings().isEmpty());
        LsgConfig unknown = parse("{\"sparsity_type\": \"random\"}");
        assertEquals(SparsityType.NONE, unknown.sparsityType());
        assertFalse(unknown.warnings().isEmpty());
        assertEquals(SparsityType.NORM, parse("{}").sparsityType());
    }

    @Test
    void defaultsAreRobertaAndLsg() {
        LsgConfig c = parse("{}");
        assertEquals(768, c.hiddenSize());
        assertEquals(128, c.blockSize());
        assertEquals(128, c.sparseBlockSize());
        assertEquals(2, c.sparsityFactor());
        assertEquals(1, c.numGlobalTokens());
        assertEquals(2, c.numLabels());
        assertTrue(c.adaptive());
        assertTrue(c.poolWithGlobal());
        assertFalse(c.maskFirstToken());
    }

    @Test
    void numLabelsComesFromId2label() {
        LsgConfig c = parse("{\"id2label\": {\"1\": \"POS\", \"0\": \"NEG\", \"2\": \"NEU\"}}");
        assertEquals(List.of("NEG", "POS", "NEU"), c.id2label());
        assertEquals(3, c.numLabels());
    }

    @Test
    void errorsNameTheKeyAndWhatWasExpected() {
        assertRefused("{\"block_size\": 16, \"sparsity_factor\": 3}", "block_size 16", "sparsity_factor 3");
        assertRefused("{\"hidden_size\": 30, \"num_attention_heads\": 4}", "hidden_size 30", "num_attention_heads 4");
        assertRefused("{\"block_size\": \"16\"}", "\"block_size\"", "integer");
        assertRefused("{\"block_size\": 0}", "\"block_size\"", "positive");
        assertRefused("{\"adaptive\": 1}", "\"adaptive\"", "true or false");
        assertRefused("{\"hidden_act\": \"swish\"}", "hidden_act", "gelu");
        assertRefused("{\"is_decoder\": true}", "is_decoder");
        assertRefused("{\"id2label\": {\"0\": \"A\", \"2\": \"B\"}}", "id2label", "gaps");
        assertRefused("[1, 2]", "JSON object");
    }

    /**
     * Configurations the reference cannot run, seen in cases made with it: ALBERT applies each group
     * with num_hidden_layers // num_hidden_groups head-mask entries, one per inner layer (IndexError
     * beyond); a plain model with relative positions uses distance embeddings lsg4j does not have (its
     * config still reads, so that it can be converted).
     */
    @Test
    void refusesWhatTheReferenceCannotRunOrLsg4jWouldRunWrongly() {
        String albert = "{\"model_type\": \"albert\", \"architectures\": [\"LSGAlbertModel\"], \"embedding_size\": 16,"
                + " \"hidden_size\": 32, \"num_attention_heads\": 4, \"intermediate_size\": 64,";
        assertRefused(albert + " \"num_hidden_layers\": 2, \"num_hidden_groups\": 2, \"inner_group_num\": 2}",
                "inner_group_num 2", "num_hidden_layers / num_hidden_groups = 2 / 2");
        assertRefused(albert + " \"num_hidden_layers\": 5, \"num_hidden_groups\": 2, \"inner_group_num\": 3}",
                "inner_group_num 3");
        assertEquals(2, parse(albert + " \"num_hidden_layers\": 4, \"num_hidden_groups\": 2, \"inner_group_num\": 2}")
                .innerGroupNum());

        LsgConfig plain = parse("{\"model_type\": \"bert\", \"architectures\": [\"BertModel\"],"
                + " \"position_embedding_type\": \"relative_key\"}");
        LsgException e = assertThrows(LsgException.class, () -> LsgModel.random(plain, Head.BASE, 1));
        assertTrue(e.getMessage().contains("relative_key") && e.getMessage().contains("not run"), e.getMessage());
        LsgConfig lsg = parse("{\"model_type\": \"bert\", \"architectures\": [\"LSGBertModel\"],"
                + " \"position_embedding_type\": \"relative_key_query\"}");
        assertTrue(lsg.warnings().get(0).contains("skipped"), lsg.warnings().toString());
    }

    /** ELECTRA's SequenceSummary: no activation for null or "", and only the first token's projected summary runs. */
    @Test
    void electraSequenceSummary() {
        String electra = "{\"model_type\": \"electra\", \"architectures\": [\"LSGElectraForMultipleChoice\"],"
                + " \"vocab_size\": 50, \"embedding_size\": 16, \"hidden_size\": 32, \"num_hidden_layers\": 1,"
                + " \"num_attention_heads\": 4, \"intermediate_size\": 64, \"max_position_embeddings\": 64, ";
        assertEquals(Activation.IDENTITY, parse(electra + "\"summary_activation\": null}").summaryActivation());
        assertEquals(Activation.IDENTITY, parse(electra + "\"summary_activation\": \"\"}").summaryActivation());
        assertEquals(Activation.GELU, parse(electra + "\"block_size\": 16}").summaryActivation());
        assertEquals(Activation.TANH, parse(electra + "\"summary_activation\": \"tanh\"}").summaryActivation());
        for (String summary : List.of("\"summary_type\": \"last\"", "\"summary_type\": \"mean\"",
                "\"summary_use_proj\": false")) {
            LsgConfig c = parse(electra + summary + "}");
            assertEquals(Activation.GELU, c.summaryActivation());
            LsgException e = assertThrows(LsgException.class, () -> LsgModel.random(c, Head.MULTIPLE_CHOICE, 1));
            assertTrue(e.getMessage().contains("sequence summary"), e.getMessage());
            LsgModel.random(c, Head.BASE, 1);   // the encoder alone does not read the summary
        }
    }

    @Test
    void malformedFileSaysWhere(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, "{\n  \"block_size\": 16,\n  oops\n}");
        LsgException e = assertThrows(LsgException.class, () -> LsgConfig.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("line 3"), e.getMessage());
        LsgException missing = assertThrows(LsgException.class, () -> LsgConfig.load(tmp.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }

    /** An LSG-RoBERTa config fragment (the class name marks it LSG, as save_pretrained writes it). */
    private static LsgConfig parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o && !o.has("architectures")) {
                o.putArray("architectures").add("LSGRobertaModel");
            }
            return LsgConfig.fromJson(node, "test config");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(String json, String... words) {
        LsgException e = assertThrows(LsgException.class, () -> parse(json));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("test config"), e.getMessage());
    }
}
