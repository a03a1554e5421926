package org.lsg4j.pipelines;

/**
 * The label probabilities of one text token, before aggregation (Hugging Face's "pre-entity").
 *
 * @param index   position in the model input (window) it came from
 * @param id      token id
 * @param token   token string of the vocabulary
 * @param start   first char in the text (UTF-16 index)
 * @param end     one past the last char
 * @param subword true when the token continues the word of the previous token
 * @param scores  softmax over the labels
 */
record TokenPrediction(int index, int id, String token, int start, int end, boolean subword, float[] scores) {

    /** The index of the most probable label. */
    int best() {
        return argmax(scores);
    }

    /** The first index of the largest value, as numpy's argmax. */
    static int argmax(float[] values) {
        int b = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[b]) {
                b = i;
            }
        }
        return b;
    }
}
