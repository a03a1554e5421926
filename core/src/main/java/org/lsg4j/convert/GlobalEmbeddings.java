package org.lsg4j.convert;

import org.lsg4j.LsgException;
import org.lsg4j.model.LsgConfig;

import java.util.SplittableRandom;

/**
 * The tables a conversion makes, as the reference converter makes them (docs/lsg-model.md,
 * "Converting a plain checkpoint to LSG"): the position table tiled to the new length, and the 512
 * global embeddings built from the position rows (or drawn at random) plus the word embeddings of
 * the first token and of the mask. Row-major float arrays of width e.
 */
final class GlobalEmbeddings {
    private static final int ROWS = LsgConfig.GLOBAL_EMBEDDING_ROWS;

    private GlobalEmbeddings() {
    }

    /**
     * The position table tiled to {@code rows} rows: the first {@code offset} rows (RoBERTa's
     * padding rows) kept, the rest repeated from row {@code offset} on and cut.
     */
    static float[] tilePositions(float[] positions, int current, int e, int offset, int rows) {
        float[] out = new float[rows * e];
        System.arraycopy(positions, 0, out, 0, Math.min(offset, rows) * e);
        int period = current - offset;
        for (int i = offset; i < rows; i++) {
            System.arraycopy(positions, (offset + (i - offset) % period) * e, out, i * e, e);
        }
        return out;
    }

    /**
     * The 512 position rows the global tokens start from: n usable position rows cut to a multiple
     * of 512, or (fewer than 512) completed with draws from a normal of their per-column mean and
     * standard deviation; every (n / 512)-th kept, then reordered so that global token i takes
     * row {@code (i mod (512 / s)) * s + i div (512 / s)}, s = stride / (n / 512).
     *
     * @param random the generator of the completing draws (the reference uses torch's, unseeded)
     */
    static float[] orderPositions(float[] positions, int n, int e, int stride, SplittableRandom random) {
        float[] u = positions;
        if (n % ROWS != 0) {
            if (n > ROWS) {
                n = ROWS * (n / ROWS);
            } else {
                u = new float[ROWS * e];
                System.arraycopy(positions, 0, u, 0, n * e);
                double[] mean = new double[e];
                double[] std = new double[e];
                columnStats(positions, n, e, mean, std);
                for (int r = n; r < ROWS; r++) {
                    for (int k = 0; k < e; k++) {
                        u[r * e + k] = (float) (mean[k] + std[k] * random.nextGaussian());
                    }
                }
                n = ROWS;
            }
        }
        int factor = n / ROWS;
        int s = stride / factor;
        if (s < 1 || ROWS % s != 0) {
            throw new LsgException("--global-positional-stride " + stride + " does not fit " + n
                    + " position rows: stride / " + factor + " must be a divisor of 512 (the reference fails on a reshape)");
        }
        int groups = ROWS / s;
        float[] out = new float[ROWS * e];
        for (int i = 0; i < ROWS; i++) {
            int row = (i % groups) * s + i / groups;
            System.arraycopy(u, row * factor * e, out, i * e, e);
        }
        return out;
    }

    /** Per-column mean and unbiased standard deviation of n rows. */
    private static void columnStats(float[] x, int n, int e, double[] mean, double[] std) {
        for (int k = 0; k < e; k++) {
            double sum = 0;
            for (int r = 0; r < n; r++) {
                sum += x[r * e + k];
            }
            mean[k] = sum / n;
            double sq = 0;
            for (int r = 0; r < n; r++) {
                double dv = x[r * e + k] - mean[k];
                sq += dv * dv;
            }
            std[k] = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;
        }
    }

    /**
     * 512 draws from the multivariate normal fitted on the word embeddings (their mean and unbiased
     * covariance), through the Cholesky factor of the covariance.
     */
    static float[] sampleLikeWords(float[] words, int vocab, int e, SplittableRandom random) {
        double[] mean = new double[e];
        for (int r = 0; r < vocab; r++) {
            for (int k = 0; k < e; k++) {
                mean[k] += words[r * e + k];
            }
        }
        for (int k = 0; k < e; k++) {
            mean[k] /= vocab;
        }
        double[] cov = new double[e * e];
        for (int r = 0; r < vocab; r++) {
            for (int a = 0; a < e; a++) {
                double da = words[r * e + a] - mean[a];
                for (int b = 0; b <= a; b++) {
                    cov[a * e + b] += da * (words[r * e + b] - mean[b]);
                }
            }
        }
        for (int a = 0; a < e; a++) {
            for (int b = 0; b <= a; b++) {
                cov[a * e + b] /= vocab - 1;
            }
        }
        double[] l = cholesky(cov, e);
        float[] out = new float[ROWS * e];
        double[] z = new double[e];
        for (int r = 0; r < ROWS; r++) {
            for (int k = 0; k < e; k++) {
                z[k] = random.nextGaussian();
            }
            for (int a = 0; a < e; a++) {
                double v = mean[a];
                for (int b = 0; b <= a; b++) {
                    v += l[a * e + b] * z[b];
                }
                out[r * e + a] = (float) v;
            }
        }
        return out;
    }

    /** The lower Cholesky factor of the symmetric matrix whose lower triangle {@code a} holds. */
    private static double[] cholesky(double[] a, int e) {
        double[] l = new double[e * e];
        for (int i = 0; i < e; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * e + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * e + k] * l[j * e + k];
                }
                if (i == j) {
                    if (s <= 0) {
                        throw new LsgException("--random-global-init: the covariance of the word embeddings is not"
                                + " positive definite (a vocabulary of fewer distinct rows than the width " + e
                                + "?); convert without --random-global-init");
                    }
                    l[i * e + i] = Math.sqrt(s);
                } else {
                    l[i * e + j] = s / l[j * e + j];
                }
            }
        }
        return l;
    }

    /** {@code rows[r] += v} for r in [from, to), rows of width e. */
    static void addToRows(float[] rows, int from, int to, float[] v, int vOff, int e) {
        for (int r = from; r < to; r++) {
            for (int k = 0; k < e; k++) {
                rows[r * e + k] += v[vOff + k];
            }
        }
    }
}
