package org.lsg4j.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link Trainer} reports while it runs (on the training thread): the command line draws
 * its progress bar and metrics lines from these. Every method does nothing by default.
 */
public interface TrainingListener {

    /** Nothing is reported. */
    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * The run's plan, once the data is read.
     *
     * @param firstStep the step training starts at (after the checkpoint's, when resuming)
     */
    record Plan(int firstStep, int totalSteps, int stepsPerEpoch, int trainExamples, int trainFeatures,
                int evalExamples, long trainableParameters, long parameters, int maxLength) {
    }

    /**
     * One optimizer step.
     *
     * @param epoch   epochs done so far, fractional
     * @param loss    the mean loss of its micro-batches
     * @param tokens  the tokens it read (padding excluded)
     * @param seconds how long it took
     */
    record Step(int step, int totalSteps, double epoch, double loss, double learningRate, double gradNorm,
                long tokens, double seconds) {
    }

    /** A warning or notice (unused checkpoint weights, newly initialized ones, ...). */
    default void message(String text) {
    }

    default void started(Plan plan) {
    }

    default void stepped(Step step) {
    }

    /** An evaluation's metrics (loss first). */
    default void evaluated(int step, double epoch, Map<String, Double> metrics) {
    }

    /** A checkpoint was written (complete, in place). */
    default void saved(int step, Path folder) {
    }
}
