package org.lsg4j.train;

import org.lsg4j.LsgException;
import org.lsg4j.model.Parameters;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as PyTorch 1.13 computes it ({@code torch.optim.AdamW}, single-tensor path, amsgrad off),
 * per element of every trainable parameter at step k:
 * <pre>
 *   p = p * (1 - lr * weight_decay)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   p = p - (lr / (1 - beta1^k)) * m / (sqrt(v) / sqrt(1 - beta2^k) + eps)
 * </pre>
 * in float32, in that order, so that a step gives PyTorch's numbers. Weight decay applies to every
 * trainable tensor (one parameter group, as the reference's training). The moments and the step
 * count are the optimizer's state, saved and restored exactly by {@link #state} and {@link #restore}.
 */
public final class AdamW {
    /** The hyperparameters. */
    public record Settings(double beta1, double beta2, double eps, double weightDecay) {
        /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight_decay 0.01. */
        public static Settings defaults() {
            return new Settings(0.9, 0.999, 1e-8, 0.01);
        }
    }

    private final Settings settings;
    private final Map<String, float[]> m = new LinkedHashMap<>();
    private final Map<String, float[]> v = new LinkedHashMap<>();
    private long step;

    public AdamW(Settings settings) {
        this.settings = settings;
    }

    /** Steps taken so far. */
    public long steps() {
        return step;
    }

    /** One update of every trainable parameter of {@code params} from its gradient, at learning rate lr. */
    public void step(Parameters params, double lr) {
        step++;
        double bc1 = 1 - Math.pow(settings.beta1(), step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(settings.beta2(), step));
        float decay = (float) (1 - lr * settings.weightDecay());
        float b1 = (float) settings.beta1();
        float b2 = (float) settings.beta2();
        float a1 = (float) (1 - settings.beta1());
        float a2 = (float) (1 - settings.beta2());
        float stepSize = (float) (lr / bc1);
        float c2 = (float) bc2Sqrt;
        float eps = (float) settings.eps();
        for (Parameters.Param p : params.all()) {
            if (!p.trainable()) {
                continue;
            }
            float[] w = p.value();
            float[] g = p.grad();
            float[] mm = m.computeIfAbsent(p.name(), k -> new float[w.length]);
            float[] vv = v.computeIfAbsent(p.name(), k -> new float[w.length]);
            for (int i = 0; i < w.length; i++) {
                w[i] *= decay;
                mm[i] = mm[i] * b1 + a1 * g[i];
                vv[i] = vv[i] * b2 + a2 * g[i] * g[i];
                float denom = (float) Math.sqrt(vv[i]) / c2 + eps;
                w[i] += -stepSize * (mm[i] / denom);
            }
        }
    }

    /** The state as named tensors: {@code adamw.step}, {@code adamw.exp_avg.<name>}, {@code adamw.exp_avg_sq.<name>}. */
    public Map<String, Object> state(Parameters params) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("adamw.step", new LongTensor(new int[0], new long[]{step}));
        for (Parameters.Param p : params.all()) {
            if (m.containsKey(p.name())) {
                out.put("adamw.exp_avg." + p.name(), new FloatTensor(p.shape(), m.get(p.name()).clone()));
                out.put("adamw.exp_avg_sq." + p.name(), new FloatTensor(p.shape(), v.get(p.name()).clone()));
            }
        }
        return out;
    }

    /** Restores a state written by {@link #state}; every moment must fit its parameter. */
    public void restore(Map<String, ? extends org.lsg4j.tensor.Tensor> state, Parameters params, String where) {
        if (!(state.get("adamw.step") instanceof LongTensor s) || s.data().length != 1) {
            throw new LsgException(where + ": no adamw.step (the optimizer state of a training checkpoint)");
        }
        step = s.data()[0];
        m.clear();
        v.clear();
        for (Parameters.Param p : params.all()) {
            Object em = state.get("adamw.exp_avg." + p.name());
            Object ev = state.get("adamw.exp_avg_sq." + p.name());
            if (em == null && ev == null) {
                continue;
            }
            if (!(em instanceof FloatTensor a) || !(ev instanceof FloatTensor b)
                    || a.data().length != p.value().length || b.data().length != p.value().length) {
                throw new LsgException(where + ": the optimizer moments of " + p.name() + " are missing or do not fit "
                        + java.util.Arrays.toString(p.shape()));
            }
            m.put(p.name(), a.data().clone());
            v.put(p.name(), b.data().clone());
        }
    }
}
