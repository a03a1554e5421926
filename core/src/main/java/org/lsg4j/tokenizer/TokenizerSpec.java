package org.lsg4j.tokenizer;

import java.util.List;
import java.util.Map;

/**
 * Everything a tokenizer is built from, as read from a model folder.
 *
 * @param kind the model type: BPE, WordPiece or Unigram
 * @param model the model
 * @param modelTokens the model's token string of each id (null where an id has none)
 * @param modelIds the model's id of each token string
 * @param addedTokens tokens matched whole in the text (the special tokens among them)
 * @param normalizer the normalizer, or null
 * @param preTokenizer the pre-tokenizer, or null
 * @param postProcessor where the special tokens go
 * @param decoder the decoder, or null (tokens are then joined with spaces, as the reference does)
 * @param trimOffsets apply RobertaProcessing's offset trimming
 * @param pad the padding token, with its id; null when there is none
 * @param unkToken the unknown token, or null when there is none
 * @param maskToken the mask token, or null when there is none
 * @param subwordPrefix WordPiece's continuing_subword_prefix, or "" for the other models
 * @param cleanUpSpaces decode applies clean_up_tokenization_spaces by default
 * @param modelMaxLength model_max_length of tokenizer_config.json, or {@link Integer#MAX_VALUE}
 */
record TokenizerSpec(String kind, Model model, String[] modelTokens, Map<String, Integer> modelIds,
                     List<AddedToken> addedTokens, Normalizer normalizer, PreTokenizer preTokenizer,
                     PostProcessor postProcessor, Decoder decoder, boolean trimOffsets, TokenRef pad,
                     String unkToken, String maskToken, String subwordPrefix, boolean cleanUpSpaces,
                     int modelMaxLength) {

    /** A token string and its id. */
    record TokenRef(String token, int id) {
    }
}
