package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.LsgException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a folder saved by the slow transformers RobertaTokenizer: vocab.json, merges.txt, and the
 * special tokens from tokenizer_config.json ({@code added_tokens_decoder}, the {@code *_token}
 * roles) and special_tokens_map.json. Missing roles take RoBERTa's defaults; as RobertaTokenizer
 * does, a mask token given as a plain string gets lstrip.
 */
final class VocabMergesReader {
    static final String VOCAB_FILE = "vocab.json";
    static final String MERGES_FILE = "merges.txt";
    private static final String[][] ROLES = {
        {"bos_token", "<s>"}, {"eos_token", "</s>"}, {"unk_token", "<unk>"}, {"sep_token", "</s>"},
        {"pad_token", "<pad>"}, {"cls_token", "<s>"}, {"mask_token", "<mask>"},
    };

    private VocabMergesReader() {
    }

    static TokenizerSpec read(Path dir, TokenizerConfig config) {
        Path vocabFile = dir.resolve(VOCAB_FILE);
        Map<String, Integer> vocab = TokenizerJsonReader.readVocab(vocabFile, JsonFiles.readObject(vocabFile));
        List<String[]> merges = readMerges(dir.resolve(MERGES_FILE));
        if (config.addPrefixSpace()) {
            throw new LsgException(config.configFile() + ": add_prefix_space true is not supported");
        }
        Map<String, AddedToken> added = new LinkedHashMap<>();
        readAddedTokensDecoder(config, added);
        for (String[] role : ROLES) {
            addRole(config, role[0], role[1], vocab, added);
        }
        return new TokenizerSpec(vocab, merges, List.copyOf(added.values()),
                ref(added, config.specialContent("cls_token", "<s>")),
                ref(added, config.specialContent("sep_token", "</s>")),
                ref(added, config.specialContent("pad_token", "<pad>")),
                config.trimOffsets(), false, config.cleanUpSpaces(), config.modelMaxLength());
    }

    private static List<String[]> readMerges(Path file) {
        List<String[]> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#version")) {
                    continue;
                }
                String[] pair = line.split(" ", -1);
                if (pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
                    throw new LsgException(file + " line " + lineNo + ": expected two tokens separated by one space, found \""
                            + line + "\"");
                }
                out.add(pair);
            }
        } catch (IOException e) {
            throw new LsgException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void readAddedTokensDecoder(TokenizerConfig config, Map<String, AddedToken> added) {
        for (Map.Entry<String, JsonNode> e : config.addedTokensDecoder().properties()) {
            JsonNode t = e.getValue();
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new LsgException(config.configFile() + ": added_tokens_decoder key \"" + e.getKey() + "\" is not an id");
            }
            JsonFiles.require(t.path("content").isTextual() && !t.path("content").asText().isEmpty(), config.configFile(),
                    "added token " + id + " needs a non-empty content");
            String content = t.get("content").asText();
            added.put(content, new AddedToken(content, id, t.path("special").asBoolean(false),
                    t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false),
                    t.path("normalized").asBoolean(true), t.path("single_word").asBoolean(false)));
        }
    }

    private static void addRole(TokenizerConfig config, String role, String fallback, Map<String, Integer> vocab,
                                Map<String, AddedToken> added) {
        JsonNode node = config.special(role);
        String content = config.specialContent(role, fallback);
        if (added.containsKey(content)) {
            return;
        }
        Integer id = vocab.get(content);
        if (id == null) {
            throw new LsgException(VOCAB_FILE + " has no entry for the " + role + " \"" + content + "\"");
        }
        boolean object = node != null && node.isObject();
        boolean lstrip = object ? node.path("lstrip").asBoolean(false) : role.equals("mask_token");
        added.put(content, new AddedToken(content, id, true, lstrip,
                object && node.path("rstrip").asBoolean(false), object && node.path("normalized").asBoolean(false),
                object && node.path("single_word").asBoolean(false)));
    }

    private static TokenizerSpec.TokenRef ref(Map<String, AddedToken> added, String content) {
        AddedToken t = added.get(content);
        return new TokenizerSpec.TokenRef(t.content(), t.id());
    }
}
