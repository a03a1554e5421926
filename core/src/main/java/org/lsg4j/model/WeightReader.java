package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.io.Checkpoint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Takes the weights a model needs out of a checkpoint, checking each shape. Missing keys are
 * collected and reported together by {@link #finish}, which also lists the keys nobody took.
 */
final class WeightReader {
    private final WeightSource checkpoint;
    private final String where;
    private final Set<String> taken = new HashSet<>();
    private final List<String> missing = new ArrayList<>();
    private final Parameters parameters;   // null for an inference model
    private final NewWeights newWeights;   // null: a missing key is an error
    private Predicate<String> initializable = key -> false;
    private final List<String> initialized = new ArrayList<>();

    /**
     * How weights a checkpoint lacks are made when a model is built for training, as transformers'
     * {@code _init_weights} makes them for a class whose head the checkpoint does not have: matrices
     * from normal(0, initializer_range), LayerNorm weights 1, biases 0. The draws of each tensor
     * come from the seed and its name, so they do not depend on the order layers are built in.
     */
    record NewWeights(long seed, double std) {
        float[] make(String key, int[] shape) {
            float[] values = new float[Math.toIntExact(org.lsg4j.tensor.Shapes.size(shape))];
            if (shape.length >= 2) {
                SplittableRandom random = new SplittableRandom(seed ^ (long) key.hashCode() * 0x9E3779B97F4A7C15L);
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (std * random.nextGaussian());
                }
            } else if (key.endsWith(".weight")) {
                java.util.Arrays.fill(values, 1f);
            }
            return values;
        }
    }

    /** Missing keys named in the error; reading stops at this many. */
    private static final int MISSING_SHOWN = 8;
    /** The largest zero placeholder made for a missing key while the others are collected. */
    private static final long MAX_PLACEHOLDER = 1 << 20;

    WeightReader(Checkpoint checkpoint, String where) {
        this(WeightSource.of(checkpoint), where, null);
    }

    /**
     * @param parameters where a trainable model registers each tensor it reads (raw values and
     *                   gradients kept), or null for an inference model, whose layers keep only what
     *                   their kernels read
     */
    WeightReader(WeightSource source, String where, Parameters parameters) {
        this(source, where, parameters, null);
    }

    /** A reader for a trainable model that makes the keys {@link #allowNew} names when the source lacks them. */
    WeightReader(WeightSource source, String where, Parameters parameters, NewWeights newWeights) {
        this.checkpoint = source;
        this.where = where;
        this.parameters = parameters;
        this.newWeights = newWeights;
    }

    /** Which missing keys may be newly initialized (the model's head and pooler); used only with {@link NewWeights}. */
    void allowNew(Predicate<String> keys) {
        this.initializable = keys;
    }

    /** The keys that were newly initialized, in the order they were read. */
    List<String> initialized() {
        return List.copyOf(initialized);
    }

    /** Whether the model being built is trainable. */
    boolean training() {
        return parameters != null;
    }

    /** The parameter a trainable model registered under {@code key} (null for an inference model). */
    Parameters.Param param(String key) {
        return parameters == null ? null : parameters.get(key);
    }

    boolean has(String key) {
        return checkpoint.has(key);
    }

    /** The float32 values of {@code key}, which must have exactly {@code shape}. */
    float[] take(String key, int... shape) {
        if (parameters != null && parameters.get(key) != null) {
            return parameters.get(key).value();
        }
        if (!has(key)) {
            if (newWeights != null && initializable.test(key)) {
                float[] values = newWeights.make(key, shape);
                initialized.add(key);
                parameters.addNew(key, shape, values);
                return values;
            }
            missing.add(key);
            long size = org.lsg4j.tensor.Shapes.size(shape);
            if (missing.size() == MISSING_SHOWN || size > MAX_PLACEHOLDER) {
                throw missingError();   // no more placeholders: the config may name sizes no file backs
            }
            return new float[(int) size];
        }
        float[] values = checkpoint.take(key, shape);
        taken.add(key);
        if (parameters != null) {
            parameters.add(key, shape, values);
        }
        return values;
    }

    private LsgException missingError() {
        return new LsgException(where + ": checkpoint is missing " + (missing.size() < MISSING_SHOWN ? "" : "at least ")
                + missing.size() + " weight" + (missing.size() == 1 ? "" : "s") + ": " + String.join(", ", missing));
    }

    /**
     * Fails when keys were missing; returns the keys that were neither taken nor ignorable
     * (the caller reports them as warnings).
     */
    List<String> finish(Predicate<String> ignorable) {
        if (!missing.isEmpty()) {
            throw missingError();
        }
        List<String> unexpected = new ArrayList<>();
        for (String key : new TreeSet<>(checkpoint.keys())) {
            if (!taken.contains(key) && !ignorable.test(key)) {
                unexpected.add(key);
            }
        }
        return unexpected;
    }
}
