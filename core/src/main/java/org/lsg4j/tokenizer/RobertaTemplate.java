package org.lsg4j.tokenizer;

/**
 * The RobertaProcessing post-processor: {@code <s> A </s>} for one input and
 * {@code <s> A </s></s> B </s>} for a pair (the doubled separator even when A or B is empty).
 */
final class RobertaTemplate {
    private final String cls;
    private final int clsId;
    private final String sep;
    private final int sepId;

    RobertaTemplate(String cls, int clsId, String sep, int sepId) {
        this.cls = cls;
        this.clsId = clsId;
        this.sep = sep;
        this.sepId = sepId;
    }

    /** Number of special tokens added around one input or a pair. */
    int added(boolean pair, boolean addSpecialTokens) {
        return !addSpecialTokens ? 0 : pair ? 4 : 2;
    }

    /** The encoding of {@code a} (and {@code b} unless null), with or without the special tokens. */
    Encoding build(Slice a, Slice b, boolean addSpecialTokens) {
        int size = a.length() + (b == null ? 0 : b.length()) + added(b != null, addSpecialTokens);
        Encoding.Builder out = new Encoding.Builder(size);
        if (addSpecialTokens) {
            out.special(clsId, cls);
        }
        out.tokens(a.sequence(), a.from(), a.to(), 0);
        if (addSpecialTokens) {
            out.special(sepId, sep);
        }
        if (b != null) {
            if (addSpecialTokens) {
                out.special(sepId, sep);
            }
            out.tokens(b.sequence(), b.from(), b.to(), 1);
            if (addSpecialTokens) {
                out.special(sepId, sep);
            }
        }
        return out.build();
    }
}
