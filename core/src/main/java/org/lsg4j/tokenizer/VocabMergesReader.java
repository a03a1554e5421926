package org.lsg4j.tokenizer;

import org.lsg4j.LsgException;

import org.lsg4j.io.InputFiles;
import org.lsg4j.io.Limits;
import org.lsg4j.io.LineReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a folder saved by the slow transformers RobertaTokenizer: vocab.json, merges.txt, and the
 * special tokens from tokenizer_config.json ({@code added_tokens_decoder}, the {@code *_token}
 * roles) and special_tokens_map.json. Missing roles take RoBERTa's defaults; as RobertaTokenizer
 * does, a mask token given as a plain string gets lstrip. The pipeline is the one transformers'
 * RobertaConverter builds: ByteLevel pre-tokenizer, BPE, RobertaProcessing, ByteLevel decoder.
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
        Map<String, Integer> vocab = TokenizerJsonReader.readVocab(vocabFile, JsonFiles.readObject(vocabFile, Limits.TOKENIZER_BYTES));
        List<String[]> merges = readMerges(dir.resolve(MERGES_FILE));
        if (config.addPrefixSpace()) {
            throw new LsgException(config.configFile() + ": add_prefix_space true is not supported");
        }
        List<AddedToken> added = SpecialTokens.slowAddedTokens(config, ROLES, List.of("mask_token"), vocab, VOCAB_FILE);
        String[] tokens = SpecialTokens.tokensById(vocab);
        TokenizerSpec.TokenRef cls = SpecialTokens.ref(added, config.specialContent("cls_token", "<s>"));
        TokenizerSpec.TokenRef sep = SpecialTokens.ref(added, config.specialContent("sep_token", "</s>"));
        return new TokenizerSpec("BPE", BpeModel.of(vocab, merges, tokens, false), tokens, vocab, added, null,
                new ByteLevelPreTokenizer(), PostProcessor.roberta(cls.token(), cls.id(), sep.token(), sep.id()),
                new ByteLevelDecoder(), config.trimOffsets(), SpecialTokens.ref(added, config.specialContent("pad_token", "<pad>")),
                config.specialContent("unk_token", "<unk>"), config.specialContent("mask_token", "<mask>"), "",
                config.cleanUpSpaces(), config.modelMaxLength());
    }

    private static List<String[]> readMerges(Path file) {
        List<String[]> out = new ArrayList<>();
        try (LineReader in = new LineReader(InputFiles.open(file, Limits.TOKENIZER_BYTES, MERGES_FILE), file.toString(),
                Limits.LINE_BYTES)) {
            for (String line = in.next(); line != null; line = in.next()) {
                if (line.isBlank() || line.startsWith("#version")) {
                    continue;
                }
                String[] pair = line.split(" ", -1);
                if (pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
                    throw new LsgException(in.where(in.lineNumber()) + ": expected two tokens separated by one space, found \""
                            + LsgException.excerpt(line) + "\"");
                }
                out.add(pair);
            }
        }
        return out;
    }
}
