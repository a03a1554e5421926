package org.lsg4j.pipelines;

/**
 * One input of {@link QuestionAnsweringPipeline}.
 *
 * @param question the question (not empty)
 * @param context  the text the answer is taken from (not empty)
 */
public record QuestionContext(String question, String context) {
    public QuestionContext {
        if (question == null || context == null) {
            throw new IllegalArgumentException("question and context must not be null");
        }
    }
}
