package org.lsg4j.tokenizer;

import org.lsg4j.LsgException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Picks how a model folder's tokenizer is read: tokenizer.json, vocab.json + merges.txt, or vocab.txt. */
final class TokenizerLoader {
    private TokenizerLoader() {
    }

    static Tokenizer load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LsgException("tokenizer folder " + dir + " does not exist");
        }
        TokenizerConfig config = TokenizerConfig.read(dir);
        if (Files.exists(dir.resolve(TokenizerJsonReader.FILE))) {
            return new PipelineTokenizer(TokenizerJsonReader.read(dir.resolve(TokenizerJsonReader.FILE), config));
        }
        boolean vocabJson = Files.exists(dir.resolve(VocabMergesReader.VOCAB_FILE));
        boolean merges = Files.exists(dir.resolve(VocabMergesReader.MERGES_FILE));
        if (vocabJson || merges) {
            if (!vocabJson || !merges) {
                throw new LsgException(dir + " has no " + TokenizerJsonReader.FILE + " and no "
                        + (vocabJson ? VocabMergesReader.MERGES_FILE : VocabMergesReader.VOCAB_FILE)
                        + " (a byte-level BPE tokenizer needs vocab.json with merges.txt)");
            }
            return new PipelineTokenizer(VocabMergesReader.read(dir, config));
        }
        if (Files.exists(dir.resolve(VocabTxtReader.FILE))) {
            return new PipelineTokenizer(VocabTxtReader.read(dir, config));
        }
        String model = sentencePieceModel(dir);
        if (model != null) {
            throw new LsgException(dir + " has the SentencePiece model " + model + " but no " + TokenizerJsonReader.FILE
                    + ": lsg4j reads SentencePiece tokenizers from tokenizer.json (save one with transformers:"
                    + " AutoTokenizer.from_pretrained(dir).save_pretrained(dir))");
        }
        throw new LsgException(dir + " has no tokenizer: expected tokenizer.json, vocab.json with merges.txt, or vocab.txt");
    }

    private static String sentencePieceModel(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".model")).sorted().findFirst()
                    .orElse(null);
        } catch (IOException e) {
            throw new LsgException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
