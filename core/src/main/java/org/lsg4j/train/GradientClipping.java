package org.lsg4j.train;

import org.lsg4j.model.Parameters;

/**
 * {@code torch.nn.utils.clip_grad_norm_}: the L2 norm of every trainable gradient together (the
 * norm of the per-tensor norms); when {@code max_norm / (norm + 1e-6) < 1} every gradient is
 * multiplied by that factor.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** Clips in place and returns the norm before clipping (computed in double). */
    public static double clip(Parameters params, double maxNorm) {
        double sq = 0;
        for (Parameters.Param p : params.all()) {
            if (p.trainable()) {
                double s = 0;
                for (float g : p.grad()) {
                    s += (double) g * g;
                }
                sq += s;
            }
        }
        double norm = Math.sqrt(sq);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            float c = (float) coef;
            for (Parameters.Param p : params.all()) {
                if (p.trainable()) {
                    float[] g = p.grad();
                    for (int i = 0; i < g.length; i++) {
                        g[i] *= c;
                    }
                }
            }
        }
        return norm;
    }
}
