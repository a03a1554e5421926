package org.lsg4j.tokenizer;

import java.util.List;
import java.util.Map;

/**
 * Everything a tokenizer is built from, as read from a model folder.
 *
 * @param vocab token string to id
 * @param merges the merge rules in rank order, each {@code {left, right}}
 * @param addedTokens tokens matched whole in the text (the special tokens among them)
 * @param cls the token put before the text, with its id
 * @param sep the token put after each input, with its id
 * @param pad the padding token, with its id
 * @param trimOffsets apply the ByteLevel offset trimming
 * @param ignoreMerges a word found in the vocabulary is one token
 * @param cleanUpSpaces decode applies clean_up_tokenization_spaces by default
 * @param modelMaxLength model_max_length of tokenizer_config.json, or {@link Integer#MAX_VALUE}
 */
record TokenizerSpec(Map<String, Integer> vocab, List<String[]> merges, List<AddedToken> addedTokens,
                     TokenRef cls, TokenRef sep, TokenRef pad, boolean trimOffsets, boolean ignoreMerges,
                     boolean cleanUpSpaces, int modelMaxLength) {

    /** A token string and its id. */
    record TokenRef(String token, int id) {
    }
}
