package org.lsg4j.pipelines;

/**
 * Parameters of {@link QuestionAnsweringPipeline}, named as Hugging Face's.
 *
 * @param topK                   answers to return at most (default 1)
 * @param maxAnswerLen           longest answer in tokens (default 15)
 * @param handleImpossibleAnswer also consider "no answer" (an empty answer at 0..0; default false)
 * @param docStride              overlap in tokens between windows of a long context; negative for the
 *                               default {@code min(maxSeqLen / 2, 128)}
 * @param maxSeqLen              tokens per model input, question and special tokens included; negative for
 *                               the model's whole length (Hugging Face's default is 384, which would waste
 *                               a long-document model)
 * @param alignToWords           widen an answer to the whole words its first and last tokens belong to
 *                               (default true, as Hugging Face's align_to_words)
 */
public record QuestionAnsweringOptions(int topK, int maxAnswerLen, boolean handleImpossibleAnswer, int docStride,
                                       int maxSeqLen, boolean alignToWords) {
    public QuestionAnsweringOptions {
        if (topK < 1) {
            throw new IllegalArgumentException("top_k should be >= 1, got " + topK);
        }
        if (maxAnswerLen < 1) {
            throw new IllegalArgumentException("max_answer_len should be >= 1, got " + maxAnswerLen);
        }
    }

    /** Hugging Face's defaults, with the model's length as max_seq_len. */
    public static QuestionAnsweringOptions defaults() {
        return new QuestionAnsweringOptions(1, 15, false, -1, -1, true);
    }

    public QuestionAnsweringOptions withTopK(int k) {
        return new QuestionAnsweringOptions(k, maxAnswerLen, handleImpossibleAnswer, docStride, maxSeqLen, alignToWords);
    }

    public QuestionAnsweringOptions withMaxAnswerLen(int tokens) {
        return new QuestionAnsweringOptions(topK, tokens, handleImpossibleAnswer, docStride, maxSeqLen, alignToWords);
    }

    public QuestionAnsweringOptions withHandleImpossibleAnswer(boolean handle) {
        return new QuestionAnsweringOptions(topK, maxAnswerLen, handle, docStride, maxSeqLen, alignToWords);
    }

    public QuestionAnsweringOptions withDocStride(int tokens) {
        return new QuestionAnsweringOptions(topK, maxAnswerLen, handleImpossibleAnswer, tokens, maxSeqLen, alignToWords);
    }

    public QuestionAnsweringOptions withMaxSeqLen(int tokens) {
        return new QuestionAnsweringOptions(topK, maxAnswerLen, handleImpossibleAnswer, docStride, tokens, alignToWords);
    }

    public QuestionAnsweringOptions withAlignToWords(boolean align) {
        return new QuestionAnsweringOptions(topK, maxAnswerLen, handleImpossibleAnswer, docStride, maxSeqLen, align);
    }
}
