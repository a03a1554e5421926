package org.lsg4j.pipelines;

/**
 * Which labels text classification returns, covering the pipeline's three ways of asking:
 * no {@code top_k} (legacy), {@code top_k=N} or {@code top_k=None}, and the deprecated
 * {@code return_all_scores=True}.
 *
 * @param mode how labels are chosen and shaped
 * @param k the number of labels for {@link Mode#TOP_K}
 */
public record LabelSelection(Mode mode, int k) {
    /** How labels are chosen and shaped. */
    public enum Mode {
        /** No top_k: the best label alone, as a dict (wrapped in a list for a single text). */
        LEGACY,
        /** top_k=N: the N best labels, sorted by score. */
        TOP_K,
        /** top_k=None: all labels, sorted by score. */
        ALL,
        /** return_all_scores=True (deprecated): all labels in label order (wrapped in a list for a single text). */
        ALL_IN_LABEL_ORDER
    }

    public LabelSelection {
        if (mode == Mode.TOP_K && k < 0) {
            throw new IllegalArgumentException("top_k must be >= 0, got " + k);
        }
    }

    /** No top_k: the pipeline's legacy default. */
    public static LabelSelection legacy() {
        return new LabelSelection(Mode.LEGACY, 1);
    }

    /** top_k=N. */
    public static LabelSelection topK(int k) {
        return new LabelSelection(Mode.TOP_K, k);
    }

    /** top_k=None. */
    public static LabelSelection all() {
        return new LabelSelection(Mode.ALL, 0);
    }

    /** return_all_scores=True. */
    public static LabelSelection allInLabelOrder() {
        return new LabelSelection(Mode.ALL_IN_LABEL_ORDER, 0);
    }
}
