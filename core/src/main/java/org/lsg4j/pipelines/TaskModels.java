package org.lsg4j.pipelines;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgConfig;

/** What the pipelines check and derive from a {@link TaskModel}. */
final class TaskModels {
    private TaskModels() {
    }

    /** Fails with a clear message when the model does not carry the head a task needs. */
    static void requireHead(TaskModel model, Head head, String task) {
        Head actual = model.model().head();
        if (actual != head) {
            throw new LsgException(task + " needs a " + head.className() + " checkpoint (a "
                    + head.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " head), but the model was loaded as "
                    + actual.className() + "; use a checkpoint fine-tuned for " + task);
        }
    }

    /**
     * The most tokens, special tokens included, one model input may hold: the model's position
     * table (max_position_embeddings less the pad id and the padding row, e.g. 4096 for 4098)
     * and the tokenizer's model_max_length, whichever is smaller.
     */
    static int maxTokens(TaskModel model) {
        LsgConfig c = model.model().config();
        return Math.min(c.maxPositionEmbeddings() - c.padTokenId() - 1, model.tokenizer().modelMaxLength());
    }

    /** True for ids the tokenizer marks special ({@code <s>}, {@code </s>}, {@code <pad>}, ...). */
    static boolean isSpecial(TaskModel model, int id) {
        // Every byte-level token decodes to at least one byte, so only skipped special tokens decode to nothing.
        return model.tokenizer().decode(new int[] {id}, true, false).isEmpty();
    }
}
