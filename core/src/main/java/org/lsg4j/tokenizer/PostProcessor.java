package org.lsg4j.tokenizer;

import java.util.List;

/**
 * Where the special tokens go around the inputs, and the token type id of every position: the
 * post_processor of tokenizer.json, held as data. One template for a single input, one for a
 * pair; each is a list of pieces, an input ({@code $A}, {@code $B}) or special tokens, each with
 * its type id. RobertaProcessing and BertProcessing are two fixed templates:
 * <pre>
 *   RoBERTa   &lt;s&gt;:0 $A:0 &lt;/s&gt;:0                &lt;s&gt;:0 $A:0 &lt;/s&gt;:0 &lt;/s&gt;:0 $B:0 &lt;/s&gt;:0
 *   BERT      [CLS]:0 $A:0 [SEP]:0            [CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1
 *   none      $A:0                            $A:0 $B:1
 * </pre>
 * Without special tokens the inputs keep the template's type ids (RoBERTa 0 and 0, BERT 0 and 1),
 * as in the reference. Immutable.
 */
final class PostProcessor {
    /**
     * One element of a template.
     *
     * @param input 0 for {@code $A}, 1 for {@code $B}, -1 for special tokens
     * @param ids the special tokens' ids (empty for an input)
     * @param tokens the special tokens' strings
     * @param typeId the token type id of the positions it gives
     */
    record Piece(int input, int[] ids, String[] tokens, int typeId) {
        static Piece input(int input, int typeId) {
            return new Piece(input, new int[0], new String[0], typeId);
        }

        static Piece special(String token, int id, int typeId) {
            return new Piece(-1, new int[] {id}, new String[] {token}, typeId);
        }
    }

    private final List<Piece> single;
    private final List<Piece> pair;

    PostProcessor(List<Piece> single, List<Piece> pair) {
        this.single = List.copyOf(single);
        this.pair = List.copyOf(pair);
    }

    /** RobertaProcessing. */
    static PostProcessor roberta(String cls, int clsId, String sep, int sepId) {
        Piece c = Piece.special(cls, clsId, 0);
        Piece s = Piece.special(sep, sepId, 0);
        return new PostProcessor(List.of(c, Piece.input(0, 0), s), List.of(c, Piece.input(0, 0), s, s, Piece.input(1, 0), s));
    }

    /** BertProcessing. */
    static PostProcessor bert(String cls, int clsId, String sep, int sepId) {
        Piece c = Piece.special(cls, clsId, 0);
        return new PostProcessor(List.of(c, Piece.input(0, 0), Piece.special(sep, sepId, 0)),
                List.of(c, Piece.input(0, 0), Piece.special(sep, sepId, 0), Piece.input(1, 1), Piece.special(sep, sepId, 1)));
    }

    /** No post-processor: the inputs one after the other, the pair with type id 1. */
    static PostProcessor none() {
        return new PostProcessor(List.of(Piece.input(0, 0)), List.of(Piece.input(0, 0), Piece.input(1, 1)));
    }

    /** Number of special tokens added around one input or a pair. */
    int added(boolean isPair) {
        int n = 0;
        for (Piece p : isPair ? pair : single) {
            n += p.ids().length;
        }
        return n;
    }

    /** Number of special tokens the encoding gets: {@link #added} with special tokens, else 0. */
    int added(boolean isPair, boolean addSpecialTokens) {
        return addSpecialTokens ? added(isPair) : 0;
    }

    /** The encoding of {@code a} (and {@code b} unless null), with or without the special tokens. */
    Encoding build(Slice a, Slice b, boolean addSpecialTokens) {
        List<Piece> template = b == null ? single : pair;
        int size = a.length() + (b == null ? 0 : b.length()) + added(b != null, addSpecialTokens);
        Encoding.Builder out = new Encoding.Builder(size);
        for (Piece p : template) {
            if (p.input() >= 0) {
                Slice s = p.input() == 0 ? a : b;
                out.tokens(s.sequence(), s.from(), s.to(), p.input(), p.typeId());
            } else if (addSpecialTokens) {
                for (int k = 0; k < p.ids().length; k++) {
                    out.special(p.ids()[k], p.tokens()[k], p.typeId());
                }
            }
        }
        return out.build();
    }
}
