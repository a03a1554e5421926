package org.lsg4j.pipelines;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;

import java.util.Locale;

/** What the pipelines check on a {@link TaskModel}. */
final class TaskModels {
    private TaskModels() {
    }

    /** Fails with a clear message when the model does not carry the head a task needs. */
    static void requireHead(TaskModel model, Head head, String task) {
        Head actual = model.model().head();
        if (actual != head) {
            throw new LsgException(task + " needs a " + head.className() + " checkpoint (a "
                    + head.name().toLowerCase(Locale.ROOT).replace('_', '-') + " head), but the model was loaded as "
                    + actual.className() + "; use a checkpoint fine-tuned for " + task);
        }
    }

}
