package org.lsg4j.pipelines;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;


/** What the pipelines check on a {@link TaskModel}. */
final class TaskModels {
    private TaskModels() {
    }

    /** Fails with a clear message when the model does not carry the head a task needs. */
    static void requireHead(TaskModel model, Head head, String task) {
        Head actual = model.model().head();
        if (actual != head) {
            throw new LsgException(task + " needs a " + model.model().config().family().className(head, true)
                    + " checkpoint (a " + head.label() + " head), but the model was loaded as "
                    + model.model().architecture() + "; use a checkpoint fine-tuned for " + task);
        }
    }

}
