package org.lsg4j.tokenizer;

/**
 * A token matched as a whole wherever its exact text appears in the input, before BPE: the special
 * tokens ({@code <s>}, {@code </s>}, {@code <pad>}, {@code <unk>}, {@code <mask>}) and any other
 * added token, with the flags of the tokenizers {@code AddedToken}.
 *
 * @param content the text matched (case-sensitive)
 * @param id the token id
 * @param special a special token: dropped by {@code decode} with skipSpecialTokens
 * @param lstrip the match also takes the whitespace right before it
 * @param rstrip the match also takes the whitespace right after it
 * @param normalized matched on normalized text (with no normalizer this only sets the matching pass)
 * @param singleWord matched only when no word character touches it on either side
 */
public record AddedToken(String content, int id, boolean special, boolean lstrip, boolean rstrip,
                         boolean normalized, boolean singleWord) {
    public AddedToken {
        if (content == null || content.isEmpty()) {
            throw new IllegalArgumentException("an added token needs a non-empty content");
        }
    }
}
