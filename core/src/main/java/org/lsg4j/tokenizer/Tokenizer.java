package org.lsg4j.tokenizer;

import org.lsg4j.LsgException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Hugging Face tokenizer, giving the same ids, tokens, offsets, type ids, word ids and decoded
 * text as the Rust tokenizers library: byte-level BPE (RoBERTa), WordPiece (BERT, DistilBERT,
 * ELECTRA) and Unigram (XLM-RoBERTa, CamemBERT, ALBERT). Implementations are immutable and
 * thread-safe.
 *
 * <p>Offsets are Java {@code String} (UTF-16) indices; see {@link Encoding}. Any string can be
 * encoded: lone surrogates are read as U+FFFD.
 */
public interface Tokenizer {

    /**
     * Loads the tokenizer of a model folder. With {@code tokenizer.json} its {@code model.type}
     * (BPE, WordPiece, Unigram) decides; otherwise the slow-tokenizer files do:
     * {@code vocab.json} + {@code merges.txt} give byte-level BPE, {@code vocab.txt} gives
     * WordPiece with the BERT settings of tokenizer_config.json (do_lower_case, strip_accents,
     * tokenize_chinese_chars, special tokens). A SentencePiece {@code .model} file alone is
     * refused: it needs its tokenizer.json. {@code tokenizer_config.json} and
     * {@code special_tokens_map.json} are read when present.
     *
     * @throws LsgException when the folder or a needed file is missing or malformed, or when the
     *     tokenizer uses a component lsg4j does not implement
     */
    static Tokenizer load(Path dir) {
        return TokenizerLoader.load(dir);
    }

    /** The model type: {@code "BPE"}, {@code "WordPiece"} or {@code "Unigram"}. */
    String kind();

    /** Encodes a text with special tokens (RoBERTa: {@code <s> A </s>}; BERT: {@code [CLS] A [SEP]}). */
    default Encoding encode(String text) {
        return encode(text, true);
    }

    /** Encodes a text, with or without the special tokens around it. */
    Encoding encode(String text, boolean addSpecialTokens);

    /**
     * Encodes a pair (RoBERTa: {@code <s> A </s></s> B </s>}; BERT: {@code [CLS] A [SEP] B [SEP]}
     * with type ids 1 from B on), or A's tokens then B's without special tokens.
     */
    Encoding encodePair(String text, String pair, boolean addSpecialTokens);

    /**
     * Encodes a batch with optional truncation (and overflowing windows) and padding. Inputs are
     * encoded one after the other on the calling thread; the tokenizer may be shared across threads.
     */
    BatchEncoding encodeBatch(List<TextInput> inputs, BatchOptions options);

    /** Decodes ids to text, applying clean_up_tokenization_spaces as the folder configures it. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /**
     * Decodes ids to text as the reference's decoder does; with {@code skipSpecialTokens} the
     * special added tokens are left out; {@code cleanUpTokenizationSpaces} then applies
     * transformers' clean-up (spaces before punctuation and contractions).
     *
     * @throws LsgException when an id is outside the vocabulary
     */
    String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces);

    /** The vocabulary string of an id (an added token's content for added tokens). */
    String idToToken(int id);

    /** The id of a vocabulary string or added token, as written ({@code "Ġcapital"}, {@code "##ing"}, {@code "<mask>"}), if any. */
    OptionalInt tokenToId(String token);

    /** Whether an id is a special added token ({@code <s>}, {@code [SEP]}, {@code <mask>}, ...). */
    boolean isSpecial(int id);

    /** Number of ids (one more than the largest id). */
    int vocabSize();

    /**
     * The padding token's id.
     *
     * @throws LsgException when the tokenizer has no pad token
     */
    int padId();

    /** model_max_length from tokenizer_config.json, or {@link Integer#MAX_VALUE} when not set. */
    int modelMaxLength();

    /**
     * The mask token: the one tokenizer_config.json or special_tokens_map.json name, else
     * {@code <mask>} or {@code [MASK]} when the vocabulary has it; empty when there is none.
     */
    Optional<String> maskToken();

    /** The id of {@link #maskToken()}. */
    OptionalInt maskId();

    /** How many special tokens the post-processor adds: RoBERTa 2 and 4 (pair), BERT 2 and 3, XLM-R 2 and 4. */
    int numSpecialTokens(boolean pair);

    /**
     * Hugging Face's token-classification rule for "this token continues the previous word"
     * (TokenClassificationPipeline.gather_pre_entities) for position {@code i} of {@code e}, whose
     * offsets point into {@code source}. With a continuing-subword prefix (WordPiece's {@code ##}):
     * the vocabulary token and the text it covers differ in length. Otherwise (byte-level BPE,
     * Unigram) a space heuristic: the token does not start the text and neither the char before
     * it nor its first char is a space (U+0020). The unknown token never continues a word.
     */
    boolean isSubword(Encoding e, int i, String source);
}
