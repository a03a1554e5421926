package org.lsg4j.train;

import org.lsg4j.kernels.Workers;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.model.TrainableModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The training procedure of one optimizer step, as a PyTorch loop does it: zero the gradients; for
 * each micro-batch a forward and backward pass of its loss divided by the number of micro-batches;
 * clip the gradients by their global norm; one AdamW update at the schedule's rate; then the
 * model's kernels are repacked from the updated parameters.
 */
public final class Optimizer {
    private final TrainableModel model;
    private final AdamW adamw;
    private final LinearSchedule schedule;
    private final double maxGradNorm;
    private int steps;

    /** What one step did. */
    public record Step(int step, double loss, List<Double> microLosses, double gradNorm, double lr) {
    }

    /**
     * @param maxGradNorm the clipping threshold; 0 or less for no clipping (the norm is still reported)
     */
    public Optimizer(TrainableModel model, AdamW.Settings settings, LinearSchedule schedule, double maxGradNorm) {
        this.model = model;
        this.adamw = new AdamW(settings);
        this.schedule = schedule;
        this.maxGradNorm = maxGradNorm;
    }

    /** The AdamW state (for checkpoints). */
    public AdamW adamw() {
        return adamw;
    }

    /** Steps taken so far. */
    public int steps() {
        return steps;
    }

    /** Continues after {@code done} steps (a restored checkpoint): the schedule resumes there. */
    public void resumeAt(int done) {
        steps = done;
    }

    /** One optimizer step over the micro-batches of one batch, in eval mode (no dropout). */
    public Step step(List<ModelInputs> microBatches, Workers workers) {
        return step(microBatches, workers, TrainableModel.Mode.EVAL);
    }

    /**
     * One optimizer step over the micro-batches of one batch, each pass in the given mode;
     * micro-batch m draws its dropout masks from {@code mode.seed() + m * 0x9E3779B97F4A7C15}, so
     * that no two micro-batches of a step share masks.
     */
    public Step step(List<ModelInputs> microBatches, Workers workers, TrainableModel.Mode mode) {
        int step = ++steps;
        double lr = schedule.rate(step);
        model.parameters().zeroGrad();
        List<Double> losses = new ArrayList<>();
        float scale = 1f / microBatches.size();
        for (int m = 0; m < microBatches.size(); m++) {
            TrainableModel.Mode micro = new TrainableModel.Mode(mode.dropout(), mode.seed() + m * 0x9E3779B97F4A7C15L,
                    mode.recompute());
            ModelOutputs out = model.forwardBackward(microBatches.get(m), workers, scale, micro);
            String name = out.get("loss") != null ? "loss" : "grad_loss";
            losses.add((double) out.get(name).data()[0]);
        }
        double norm = maxGradNorm > 0 ? GradientClipping.clip(model.parameters(), maxGradNorm)
                : GradientClipping.clip(model.parameters(), Double.POSITIVE_INFINITY);
        adamw.step(model.parameters(), lr);
        model.refresh();
        double mean = losses.stream().mapToDouble(Double::doubleValue).sum() / losses.size();
        return new Step(step, mean, losses, norm, lr);
    }
}
