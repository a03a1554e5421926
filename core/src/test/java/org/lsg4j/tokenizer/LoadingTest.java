package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading from vocab.json + merges.txt folders, tokenizer.json variants and malformed files. */
class LoadingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void vocabAndMergesFolderEncodesLikeTokenizerJson() {
        Tokenizer legacy = Tokenizer.load(Fixtures.PIPELINE_MODEL);
        Tokenizer reference = Fixtures.robertaBase();
        assertEquals(4096, legacy.modelMaxLength());
        for (JsonNode r : Fixtures.records()) {
            String text = r.get("text").asText();
            Encoding a = legacy.encode(text);
            Encoding b = reference.encode(text);
            assertArrayEquals(b.ids(), a.ids(), text);
            assertEquals(b.tokens(), a.tokens(), text);
        }
    }

    @Test
    void pipelineInputsAndFillMaskStringsMatch() throws IOException {
        try (var folders = Files.list(Fixtures.SHARED.resolve("fixtures/pipelines"))) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                Tokenizer tokenizer = Tokenizer.load(folder);
                for (String line : Files.readAllLines(folder.resolve("pipeline_cases.jsonl"))) {
                    checkCase(tokenizer, MAPPER.readTree(line));
                }
            }
        }
    }

    /** Unbatched, untruncated string inputs: the model got our ids; one-mask fill-mask strings decode alike. */
    private static void checkCase(Tokenizer tokenizer, JsonNode c) {
        JsonNode inputs = c.get("inputs");
        String kwargs = c.get("kwargs").toString();
        if (kwargs.contains("trunc") || kwargs.contains("batch_size")) {
            return;
        }
        Encoding e;
        if (inputs.isTextual()) {
            e = tokenizer.encode(inputs.asText());
        } else if (inputs.isObject()) {
            e = tokenizer.encodePair(inputs.get("text").asText(), inputs.get("text_pair").asText(), true);
        } else {
            return;
        }
        JsonNode ids = c.get("model_inputs").get(0).get("input_ids").get(0);
        assertEquals(ids.size(), e.length(), c.get("note").asText());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(ids.get(i).asInt(), e.id(i));
        }
        if (c.get("task").asText().equals("fill-mask") && c.get("output").get(0).isObject()) {
            int mask = List.of(e.tokens().toArray(new String[0])).indexOf(
                    e.tokens().stream().filter(t -> t.endsWith("<mask>")).findFirst().orElseThrow());
            for (JsonNode candidate : c.get("output")) {
                int token = candidate.get("token").asInt();
                assertEquals(candidate.get("token_str").asText(), tokenizer.decode(new int[] {token}, false));
                int[] filled = e.ids();
                filled[mask] = token;
                assertEquals(candidate.get("sequence").asText(), tokenizer.decode(filled, true));
            }
        }
    }

    @Test
    void cleanUpTokenizationSpacesIsHonoured(@TempDir Path dir) throws IOException {
        copy(Fixtures.PIPELINE_MODEL, dir, "vocab.json", "merges.txt", "special_tokens_map.json");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"clean_up_tokenization_spaces\": true}");
        Tokenizer cleaning = Tokenizer.load(dir);
        Tokenizer plain = Tokenizer.load(Fixtures.PIPELINE_MODEL);
        int[] ids = plain.encode("Hello , world . It ' s fine , isn 't it ?", false).ids();
        String raw = plain.decode(ids, true);
        assertEquals(raw, cleaning.decode(ids, true, false));
        String cleaned = cleaning.decode(ids, true);
        assertNotEquals(raw, cleaned);
        for (String gone : new String[] {" ,", " .", " ?", " ' "}) {
            assertTrue(raw.contains(gone), "decoded text has " + gone);
            assertTrue(!cleaned.contains(gone), "cleaned text has no " + gone);
        }
    }

    @Test
    void mergesAsArraysAreRead(@TempDir Path dir) throws IOException {
        JsonNode root = MAPPER.readTree(Fixtures.ROBERTA_BASE.resolve("tokenizer.json").toFile());
        var merges = MAPPER.createArrayNode();
        root.get("model").get("merges").forEach(m -> {
            String[] p = m.asText().split(" ");
            merges.add(MAPPER.createArrayNode().add(p[0]).add(p[1]));
        });
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("model")).set("merges", merges);
        MAPPER.writeValue(dir.resolve("tokenizer.json").toFile(), root);
        Tokenizer tokenizer = Tokenizer.load(dir);
        for (JsonNode r : Fixtures.records().subList(0, 100)) {
            assertArrayEquals(Fixtures.robertaBase().encode(r.get("text").asText()).ids(),
                    tokenizer.encode(r.get("text").asText()).ids());
        }
    }

    @Test
    void missingAndMalformedFilesAreReported(@TempDir Path dir) throws IOException {
        assertMessage(() -> Tokenizer.load(dir.resolve("nope")), "does not exist");
        assertMessage(() -> Tokenizer.load(dir), "has no tokenizer: expected tokenizer.json, vocab.json with merges.txt, or vocab.txt");
        copy(Fixtures.PIPELINE_MODEL, dir, "vocab.json");
        assertMessage(() -> Tokenizer.load(dir), "merges.txt");
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nĠ t\nbroken\n");
        assertMessage(() -> Tokenizer.load(dir), "merges.txt line 3");
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nĠ t\n");
        Path vocab = dir.resolve("vocab.json");
        byte[] goodVocab = Files.readAllBytes(vocab);
        Files.writeString(vocab, "{\"<s>\": 0, \"Ġt\": -3}");
        assertMessage(() -> Tokenizer.load(dir), "vocab.json: the id of token \"Ġt\" must be a token id in [0, ");
        Files.write(vocab, goodVocab);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{not json");
        assertMessage(() -> Tokenizer.load(dir), "tokenizer_config.json: malformed JSON at line 1");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordLevel\"}}");
        assertMessage(() -> Tokenizer.load(dir), "tokenizer.json: model type \"WordLevel\" is not supported");
        Files.writeString(dir.resolve("tokenizer.json"), "[]");
        assertMessage(() -> Tokenizer.load(dir), "tokenizer.json: the tokenizer.json must hold a JSON object");
    }

    @Test
    void vocabTxtFolderEncodesLikeItsTokenizerJson(@TempDir Path dir) throws IOException {
        Tokenizer json = TestTokenizers.get(TestTokenizers.MINILM);
        JsonNode vocab = MAPPER.readTree(TestTokenizers.folder(TestTokenizers.MINILM).resolve("tokenizer.json").toFile())
                .get("model").get("vocab");
        String[] lines = new String[vocab.size()];
        vocab.properties().forEach(e -> lines[e.getValue().intValue()] = e.getKey());
        Files.write(dir.resolve("vocab.txt"), List.of(lines));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": true, \"model_max_length\": 512}");
        Tokenizer slow = Tokenizer.load(dir);
        assertEquals("WordPiece", slow.kind());
        assertEquals(512, slow.modelMaxLength());
        assertEquals(json.maskId(), slow.maskId());
        assertEquals(json.padId(), slow.padId());
        for (JsonNode r : Fixtures.records()) {
            String text = r.get("text").asText();
            String pair = r.get("pair").isNull() ? "[MASK] " + text : r.get("pair").asText();
            Encoding a = slow.encodePair(text, pair, true);
            Encoding b = json.encodePair(text, pair, true);
            assertEquals(b.tokens(), a.tokens(), text);
            assertArrayEquals(b.ids(), a.ids(), text);
            assertArrayEquals(b.typeIds(), a.typeIds(), text);
            assertEquals(json.decode(b.ids(), true, false), slow.decode(a.ids(), true, false), text);
        }
    }

    @Test
    void aSentencePieceModelAloneIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("spiece.model"), "not read");
        assertMessage(() -> Tokenizer.load(dir), "has the SentencePiece model spiece.model but no tokenizer.json");
    }

    @Test
    void unsupportedComponentsAreNamed(@TempDir Path dir) throws IOException {
        String[][] cases = {
            {"normalizer", "{\"type\": \"ByteLevel\"}", "normalizer type ByteLevel is not supported"},
            {"normalizer", "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFC\"}, {\"type\": \"Bogus\"}]}",
                "normalizer.normalizers[1] type Bogus is not supported"},
            {"normalizer", "{\"type\": \"Precompiled\", \"precompiled_charsmap\": \"%%%\"}",
                "normalizer.precompiled_charsmap is not valid base64"},
            {"pre_tokenizer", "{\"type\": \"Digits\"}", "pre_tokenizer type Digits is not supported"},
            {"pre_tokenizer", "{\"type\": \"ByteLevel\"}", "the ByteLevel pre-tokenizer goes with a BPE model, not Unigram"},
            {"pre_tokenizer", "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"add_prefix_space\": false}",
                "add_prefix_space false does not match prepend_scheme always"},
            {"post_processor", "{\"type\": \"Sequence\"}", "post_processor type Sequence is not supported"},
            {"post_processor", "{\"type\": \"TemplateProcessing\", \"single\": [{\"SpecialToken\": {\"id\": \"<x>\"}}],"
                + " \"pair\": [], \"special_tokens\": {}}", "post_processor.single[0]: special token \"<x>\" is not in special_tokens"},
            {"post_processor", "{\"type\": \"TemplateProcessing\", \"single\": [{\"Sequence\": {\"id\": \"B\"}}],"
                + " \"pair\": [{\"Sequence\": {\"id\": \"A\"}}, {\"Sequence\": {\"id\": \"B\"}}], \"special_tokens\": {}}",
                "post_processor.single uses sequence B, which a single input does not have"},
            {"decoder", "{\"type\": \"CTC\"}", "decoder type CTC is not supported"},
        };
        JsonNode base = MAPPER.readTree(TestTokenizers.folder(TestTokenizers.BYTE_FALLBACK).resolve("tokenizer.json").toFile());
        for (String[] c : cases) {
            com.fasterxml.jackson.databind.node.ObjectNode json = base.deepCopy();
            json.set(c[0], MAPPER.readTree(c[1]));
            MAPPER.writeValue(dir.resolve("tokenizer.json").toFile(), json);
            assertMessage(() -> Tokenizer.load(dir), c[2]);
        }
        com.fasterxml.jackson.databind.node.ObjectNode bpe = MAPPER.readTree(Fixtures.ROBERTA_BASE.resolve("tokenizer.json")
                .toFile()).deepCopy();
        bpe.set("pre_tokenizer", MAPPER.readTree("{\"type\": \"WhitespaceSplit\"}"));
        MAPPER.writeValue(dir.resolve("tokenizer.json").toFile(), bpe);
        assertMessage(() -> Tokenizer.load(dir), "a BPE model needs the ByteLevel pre-tokenizer");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        LsgException e = assertThrows(LsgException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    private static void copy(Path from, Path to, String... names) throws IOException {
        for (String name : names) {
            Files.copy(from.resolve(name), to.resolve(name));
        }
    }
}
