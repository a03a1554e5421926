package org.lsg4j.model;

import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tensor.Tensor;

/**
 * The inputs of a forward pass, named as the reference's keyword arguments. Only input_ids is
 * required: n x t ids (n x choices x t for multiple choice).
 *
 * @param attentionMask  same shape as input_ids, 1 = token, 0 = padding; null for all ones
 * @param tokenTypeIds   same shape as input_ids; null for zeros
 * @param labels         the head's labels (int64 classes, or float for regression and multi-label); null for no loss
 * @param startPositions question answering: n answer starts (with endPositions, gives the loss)
 * @param endPositions   question answering: n answer ends
 * @param outputHiddenStates whether to return hidden_states.0 .. hidden_states.L
 * @param lshDraws       random directions for lsh sparsity; null for {@code LshDraws.seeded(0)}
 * @param headPositions  for the masked-LM and token-classification heads: the flat positions
 *                       ({@code row * tokens + position}) to run the head at, the only rows whose
 *                       logits are made ({@code logits} is then positions x classes, and no loss is
 *                       computed); null for every position. Fill-mask reads a few mask rows, where
 *                       the whole masked-LM output of a long document is tokens x vocabulary floats.
 */
public record ModelInputs(LongTensor inputIds, LongTensor attentionMask, LongTensor tokenTypeIds, Tensor labels,
                          LongTensor startPositions, LongTensor endPositions, boolean outputHiddenStates,
                          LshDraws lshDraws, LongTensor headPositions) {

    public static ModelInputs of(LongTensor inputIds) {
        return new ModelInputs(inputIds, null, null, null, null, null, false, null, null);
    }

    public ModelInputs withHeadPositions(LongTensor positions) {
        return new ModelInputs(inputIds, attentionMask, tokenTypeIds, labels, startPositions, endPositions,
                outputHiddenStates, lshDraws, positions);
    }

    public ModelInputs withAttentionMask(LongTensor mask) {
        return new ModelInputs(inputIds, mask, tokenTypeIds, labels, startPositions, endPositions, outputHiddenStates, lshDraws, headPositions);
    }

    public ModelInputs withTokenTypeIds(LongTensor types) {
        return new ModelInputs(inputIds, attentionMask, types, labels, startPositions, endPositions, outputHiddenStates, lshDraws, headPositions);
    }

    public ModelInputs withLabels(Tensor l) {
        return new ModelInputs(inputIds, attentionMask, tokenTypeIds, l, startPositions, endPositions, outputHiddenStates, lshDraws, headPositions);
    }

    public ModelInputs withPositions(LongTensor start, LongTensor end) {
        return new ModelInputs(inputIds, attentionMask, tokenTypeIds, labels, start, end, outputHiddenStates, lshDraws, headPositions);
    }

    public ModelInputs withHiddenStates(boolean output) {
        return new ModelInputs(inputIds, attentionMask, tokenTypeIds, labels, startPositions, endPositions, output, lshDraws, headPositions);
    }

    public ModelInputs withLshDraws(LshDraws draws) {
        return new ModelInputs(inputIds, attentionMask, tokenTypeIds, labels, startPositions, endPositions, outputHiddenStates, draws, headPositions);
    }
}
