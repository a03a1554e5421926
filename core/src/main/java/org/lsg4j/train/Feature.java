package org.lsg4j.train;

import java.util.List;

/**
 * One example as the model reads it, before batching: the token ids of its rows (one row, or one
 * per choice for multiple choice) and its targets. Several features come from one example when a
 * QA context or an MLM text is cut into windows.
 *
 * @param example     the index of the example it comes from
 * @param ids         token ids, one array per row
 * @param types       token type ids, same layout
 * @param label       the class (single-label classification), the right choice, or -1
 * @param targets     multi-hot labels (multi-label) or the value (regression), or null
 * @param tokenLabels a label id per token, -100 where no loss is taken (token classification), or null
 * @param words       token classification: the word each word's first token starts, -1 elsewhere; else null
 * @param start       question answering: the answer's first token (0, the first token, when the window has no answer)
 * @param end         question answering: the answer's last token
 */
public record Feature(int example, List<int[]> ids, List<int[]> types, long label, float[] targets,
                      long[] tokenLabels, int[] words, int start, int end) {

    public Feature {
        ids = List.copyOf(ids);
        types = List.copyOf(types);
    }

    /** The longest row's length: what a batch holding this feature is padded to at least. */
    public int length() {
        int n = 0;
        for (int[] row : ids) {
            n = Math.max(n, row.length);
        }
        return n;
    }

    /** Tokens over every row: what the throughput counts. */
    public int tokens() {
        int n = 0;
        for (int[] row : ids) {
            n += row.length;
        }
        return n;
    }
}
