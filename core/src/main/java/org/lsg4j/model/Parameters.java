package org.lsg4j.model;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The weights of a trainable model by checkpoint name (llm.c's ParameterTensors): each tensor's
 * raw float32 values, which the layers read or pack from, and its gradient, which backward passes
 * accumulate into. Frozen tensors have no gradient; a tensor the checkpoint did not have (a newly
 * initialized head) is always trainable, as a frozen random layer is of no use. Tied weights (the masked-LM decoder and the
 * word embeddings) are one parameter. Owned by one training loop; not thread-safe.
 */
public final class Parameters {
    /**
     * One tensor.
     *
     * @param value row-major values (shape as in the checkpoint), updated in place by an optimizer
     * @param grad  the accumulated gradient, same layout, or null when the tensor is frozen
     */
    public record Param(String name, int[] shape, float[] value, float[] grad) {

        public boolean trainable() {
            return grad != null;
        }
    }

    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Predicate<String> trainable;

    /** @param trainable which checkpoint names get a gradient */
    Parameters(Predicate<String> trainable) {
        this.trainable = trainable;
    }

    /** Registers a tensor as the model reads it (once: a tied tensor's later reads get the same parameter). */
    Param add(String name, int[] shape, float[] value) {
        return params.computeIfAbsent(name, n -> new Param(n, shape.clone(), value,
                trainable.test(n) ? new float[value.length] : null));
    }

    /** Registers a tensor the checkpoint did not have (a new head): trainable whatever the predicate says. */
    Param addNew(String name, int[] shape, float[] value) {
        return params.computeIfAbsent(name, n -> new Param(n, shape.clone(), value, new float[value.length]));
    }

    /** The parameter of a checkpoint name, or null. */
    public Param get(String name) {
        return params.get(name);
    }

    /** Every parameter, in the order the model reads them. */
    public Collection<Param> all() {
        return Collections.unmodifiableCollection(params.values());
    }

    /** Sets every gradient to zero. */
    public void zeroGrad() {
        for (Param p : params.values()) {
            if (p.grad() != null) {
                java.util.Arrays.fill(p.grad(), 0f);
            }
        }
    }
}
