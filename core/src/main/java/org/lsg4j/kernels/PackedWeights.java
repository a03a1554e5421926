package org.lsg4j.kernels;

/**
 * The weight of a linear layer {@code y = x W^T + b} packed for {@link Gemm}: the out x in matrix
 * W cut into panels of {@link Gemm#NR} output rows, each panel stored k-major (in x NR), the last
 * panel padded with zeros. This is the only copy of the weight a model keeps.
 *
 * @param panels ceil(out / NR) x in x NR
 * @param bias   out values padded with zeros to a multiple of NR, or null
 */
public record PackedWeights(float[] panels, float[] bias, int in, int out) {

    /** Packs W (out x in, row-major from {@code w[0]}) and b (out, or null). */
    public static PackedWeights pack(float[] w, float[] bias, int in, int out) {
        int panelCount = (out + Gemm.NR - 1) / Gemm.NR;
        PackedWeights p = new PackedWeights(new float[panelCount * in * Gemm.NR],
                bias == null ? null : new float[panelCount * Gemm.NR], in, out);
        p.repack(w, bias);
        return p;
    }

    /**
     * Refills the panels (and the bias, when this has one) in place from W (out x in) and b: after
     * an optimizer step changed the raw weight. Every user of these panels sees the new values.
     */
    public void repack(float[] w, float[] b) {
        int nr = Gemm.NR;
        for (int o = 0; o < out; o++) {
            int base = o / nr * in * nr + o % nr;
            for (int i = 0; i < in; i++) {
                panels[base + i * nr] = w[o * in + i];
            }
        }
        if (bias != null && b != null) {
            System.arraycopy(b, 0, bias, 0, out);
        }
    }

    private static float[] padBias(float[] bias, int length) {
        if (bias == null) {
            return null;
        }
        float[] b = new float[length];
        System.arraycopy(bias, 0, b, 0, bias.length);
        return b;
    }

    /** The same weight with another bias (out values, or null): the panels are shared, not copied. */
    public PackedWeights withBias(float[] newBias) {
        return new PackedWeights(panels, padBias(newBias, (out + Gemm.NR - 1) / Gemm.NR * Gemm.NR), in, out);
    }

    /** Copies row o of W (in values) to {@code dst[off ..]}. */
    public void copyRow(int o, float[] dst, int off) {
        int nr = Gemm.NR;
        int base = o / nr * in * nr + o % nr;
        for (int i = 0; i < in; i++) {
            dst[off + i] = panels[base + i * nr];
        }
    }
}
