package org.lsg4j.kernels;

/**
 * The weight of a linear layer {@code y = x W^T + b} packed for {@link Gemm}: the out x in matrix
 * W cut into panels of {@code width} output columns (the micro-tile's width, {@link Gemm#NR}), each
 * panel stored k-major (in x width), the last panel padded with zeros. This is the only copy of the
 * weight a model keeps.
 *
 * @param panels ceil(out / width) x in x width
 * @param bias   out values padded with zeros to a multiple of width, or null
 * @param width  columns per panel
 */
public record PackedWeights(float[] panels, float[] bias, int in, int out, int width) {

    /** Packs W (out x in, row-major from {@code w[0]}) and b (out, or null) for this JVM's tile. */
    public static PackedWeights pack(float[] w, float[] bias, int in, int out) {
        return pack(w, bias, in, out, Gemm.NR);
    }

    static PackedWeights pack(float[] w, float[] bias, int in, int out, int width) {
        int panelCount = (out + width - 1) / width;
        PackedWeights p = new PackedWeights(new float[panelCount * in * width],
                bias == null ? null : new float[panelCount * width], in, out, width);
        p.repack(w, bias);
        return p;
    }

    /**
     * Refills the panels (and the bias, when this has one) in place from W (out x in) and b: after
     * an optimizer step changed the raw weight. Every user of these panels sees the new values.
     */
    public void repack(float[] w, float[] b) {
        for (int o = 0; o < out; o++) {
            int base = o / width * in * width + o % width;
            for (int i = 0; i < in; i++) {
                panels[base + i * width] = w[o * in + i];
            }
        }
        if (bias != null && b != null) {
            System.arraycopy(b, 0, bias, 0, out);
        }
    }

    /**
     * W^T packed as the weight of a layer from out to in values, without bias, so that
     * {@link Gemm#linearAdd} with it adds {@code dY W}: the input gradient of the layer whose
     * weight is W (out x in, row-major). Its panels take as much memory as the forward's
     * (out x in floats, in rounded up to a multiple of the width).
     */
    public static PackedWeights transposed(float[] w, int in, int out) {
        return transposed(w, in, out, Gemm.NR);
    }

    static PackedWeights transposed(float[] w, int in, int out, int width) {
        int panelCount = (in + width - 1) / width;
        PackedWeights p = new PackedWeights(new float[panelCount * out * width], null, out, in, width);
        p.repackTransposed(w);
        return p;
    }

    /** Refills panels made by {@link #transposed} from W (in x out here, i.e. the forward's out x in). */
    public void repackTransposed(float[] w) {
        int panelCount = (out + width - 1) / width;
        for (int o = 0; o < in; o++) {
            for (int p = 0; p < panelCount; p++) {
                System.arraycopy(w, o * out + p * width, panels, (p * in + o) * width, Math.min(width, out - p * width));
            }
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
        return new PackedWeights(panels, padBias(newBias, (out + width - 1) / width * width), in, out, width);
    }

    /** Copies row o of W (in values) to {@code dst[off ..]}. */
    public void copyRow(int o, float[] dst, int off) {
        int base = o / width * in * width + o % width;
        for (int i = 0; i < in; i++) {
            dst[off + i] = panels[base + i * width];
        }
    }
}
