package org.lsg4j.tokenizer;

import org.lsg4j.LsgException;

import org.lsg4j.io.InputFiles;
import org.lsg4j.io.Limits;
import org.lsg4j.io.LineReader;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a folder saved by the slow transformers BertTokenizer: vocab.txt (one token per line, the
 * id is the line number from 0) and the settings of tokenizer_config.json. The pipeline is the one
 * transformers' BertConverter builds for the fast tokenizer the pipelines use: BertNormalizer
 * (clean_text, and handle_chinese_chars, strip_accents and lowercase from tokenize_chinese_chars,
 * strip_accents and do_lower_case), BertPreTokenizer, WordPiece ({@code ##}, 100 chars per word at
 * most), {@code [CLS] A [SEP]} / {@code [CLS] A [SEP] B [SEP]} with type ids 0 then 1, and the
 * WordPiece decoder. The special tokens ([UNK], [SEP], [PAD], [CLS], [MASK] unless configured
 * otherwise) are matched whole in the text, before normalization. {@code never_split} is not
 * applied: the converter drops it, so the fast tokenizer ignores it too.
 */
final class VocabTxtReader {
    static final String FILE = "vocab.txt";
    private static final String[][] ROLES = {
        {"unk_token", "[UNK]"}, {"sep_token", "[SEP]"}, {"pad_token", "[PAD]"}, {"cls_token", "[CLS]"},
        {"mask_token", "[MASK]"},
    };

    private VocabTxtReader() {
    }

    static TokenizerSpec read(Path dir, TokenizerConfig config) {
        Path file = dir.resolve(FILE);
        Map<String, Integer> vocab = readVocab(file);
        List<AddedToken> added = SpecialTokens.slowAddedTokens(config, ROLES, List.of(), vocab, FILE);
        String unk = config.specialContent("unk_token", "[UNK]");
        TokenizerSpec.TokenRef cls = SpecialTokens.ref(added, config.specialContent("cls_token", "[CLS]"));
        TokenizerSpec.TokenRef sep = SpecialTokens.ref(added, config.specialContent("sep_token", "[SEP]"));
        PostProcessor template = new PostProcessor(
                List.of(PostProcessor.Piece.special(cls.token(), cls.id(), 0), PostProcessor.Piece.input(0, 0),
                        PostProcessor.Piece.special(sep.token(), sep.id(), 0)),
                List.of(PostProcessor.Piece.special(cls.token(), cls.id(), 0), PostProcessor.Piece.input(0, 0),
                        PostProcessor.Piece.special(sep.token(), sep.id(), 0), PostProcessor.Piece.input(1, 1),
                        PostProcessor.Piece.special(sep.token(), sep.id(), 1)));
        Normalizer normalizer = new BertNormalizer(true, config.tokenizeChineseChars(), config.stripAccents(),
                config.doLowerCase());
        return new TokenizerSpec("WordPiece", new WordPieceModel(vocab, unk, vocab.get(unk), "##", 100),
                SpecialTokens.tokensById(vocab), vocab, added, normalizer, new PreTokenizer.Bert(), template,
                new Decoder.WordPiece("##", true), false, SpecialTokens.ref(added, config.specialContent("pad_token", "[PAD]")),
                unk, config.specialContent("mask_token", "[MASK]"), "##", config.cleanUpSpaces(), config.modelMaxLength());
    }

    /** Line {@code i} is the token of id {@code i} (a repeated token keeps its last line, as BertTokenizer's dict). */
    private static Map<String, Integer> readVocab(Path file) {
        Map<String, Integer> vocab = new HashMap<>();
        try (LineReader in = new LineReader(InputFiles.open(file, Limits.TOKENIZER_BYTES, FILE), file.toString(),
                Limits.LINE_BYTES)) {
            int id = 0;
            for (String line = in.next(); line != null; line = in.next()) {
                if (id == Limits.VOCABULARY) {
                    throw new LsgException(file + ": more than " + Limits.VOCABULARY + " tokens, the most lsg4j reads");
                }
                vocab.put(line, id++);
            }
        }
        if (vocab.isEmpty()) {
            throw new LsgException(file + " is empty");
        }
        return vocab;
    }
}
