package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.VectorMath;

import java.util.Arrays;

/**
 * The sparsity functions: from the keys, values and mask of the {@code tp} ordinary positions of
 * one sequence, the sparse keys and values that every block attends to besides its local window.
 * Inputs are one sequence's projections, rows x d with the ordinary positions from row {@code g};
 * head j uses columns {@code [j*dh, (j+1)*dh)}.
 */
final class SparseSelection {
    private final LsgConfig c;
    private final int heads;
    private final int dh;
    private final int d;

    SparseSelection(LsgConfig config) {
        this.c = config;
        this.heads = config.numAttentionHeads();
        this.dh = config.headDim();
        this.d = config.hiddenSize();
    }

    /** The lsh draws one layer makes (empty for other types): pre-rounds, then the final round. */
    float[][] drawLsh(LshDraws.Sequence draws) {
        if (!usesLshRounds()) {
            return new float[0][];
        }
        int chunk = Math.min(c.blockSize(), c.sparseBlockSize());
        int finalHashes = (chunk / c.sparsityFactor()) / 2;
        if (finalHashes == 0) {
            throw new LsgException("lsh sparsity needs min(block_size, sparse_block_size) / sparsity_factor >= 2,"
                    + " got " + chunk + " / " + c.sparsityFactor() + " (the reference fails on an empty argmax)");
        }
        float[][] r = new float[c.lshNumPreRounds() + 1][];
        for (int i = 0; i < c.lshNumPreRounds(); i++) {
            r[i] = draws.next(heads, dh, chunk / 2);
        }
        r[c.lshNumPreRounds()] = draws.next(heads, dh, finalHashes);
        return r;
    }

    private boolean usesLshRounds() {
        return c.sparsityType() == SparsityType.LSH && c.sparsityFactor() > 1
                && c.sparsityFactor() != c.sparseBlockSize();
    }

    /** A worker's buffers for one head's selection: norms and order of a chunk, lsh buckets. */
    static final class Scratch {
        final double[] norms;
        final int[] order;
        final float[] keys;      // lsh: the chunk's items, then the buckets of each round (chunk x dh)
        final float[] values;
        final float[] weights;
        final float[] bucketKeys;
        final float[] bucketValues;
        final float[] bucketWeights;
        final float[] groupWeights; // bos_pooling: the softmax over a group of f
        final double[] projections; // lsh: one key's projections on a round's directions
        final int[] path;           // lsh: the bucket each position of the chunk has reached
        final int[] itemBucket;     // lsh: the bucket of each item of the current round

        Scratch(LsgConfig c) {
            int chunk = Math.max(1, Math.min(c.blockSize(), c.sparseBlockSize()));
            int dh = c.headDim();
            norms = new double[chunk];
            order = new int[chunk];
            keys = new float[chunk * dh];
            values = new float[chunk * dh];
            weights = new float[chunk];
            bucketKeys = new float[chunk * dh];
            bucketValues = new float[chunk * dh];
            bucketWeights = new float[chunk];
            groupWeights = new float[Math.max(1, c.sparsityFactor())];
            projections = new double[chunk / 2 + 1];
            path = new int[chunk];
            itemBucket = new int[chunk];
        }
    }

    /**
     * Fills head {@code j} of {@code out} (of {@link #sparseLength} keys) with the sparse keys,
     * values and visibility of one sequence.
     *
     * @param base offset of this sequence's row 0 in q, k, v
     * @param visible tp entries: the ordinary positions not masked
     * @param lsh this layer's draws from {@link #drawLsh}
     * @param map  receives how each slot was made (for a backward pass), or null
     */
    void select(SparseKeys out, int j, float[] q, float[] k, float[] v, int base, int tp, boolean[] visible,
                float[][] lsh, Scratch scratch, SparseMap map) {
        int g = c.numGlobalTokens();
        int kBase = base + g * d;
        boolean bos = c.sparsityFactor() > 1 && (c.sparsityType() == SparsityType.BOS_POOLING
                || c.sparsityType() == SparsityType.LSH && c.sparsityFactor() == c.sparseBlockSize());
        if (map != null) {
            map.clear(bos);
        }
        if (c.sparsityFactor() == 1) {
            all(out, j, k, v, kBase, tp, visible, map);
            return;
        }
        if (bos) {
            bosPooling(out, j, q, k, v, kBase, visible, scratch, map);
            return;
        }
        switch (c.sparsityType()) {
            case NORM -> norm(out, j, k, v, kBase, tp, visible, scratch, map);
            case POOLING -> pooling(out, j, k, v, kBase, visible, map);
            case STRIDE -> stride(out, j, k, v, kBase, visible, map);
            case BLOCK_STRIDE -> blockStride(out, j, k, v, kBase, tp, visible, map);
            case LSH -> lsh(out, j, k, v, kBase, tp, visible, lsh, scratch, map);
            case BOS_POOLING, NONE -> throw new IllegalStateException("no sparse keys for " + c.sparsityType());
        }
    }

    /** Copies position {@code p} of head j (key, value, visibility) into slot {@code slot}. */
    private void gather(SparseKeys out, float[] k, float[] v, int kBase, boolean[] visible, int j, int slot, int p,
                        SparseMap map) {
        int src = kBase + p * d + j * dh;
        int dst = (j * out.length() + slot) * dh;
        System.arraycopy(k, src, out.keys(), dst, dh);
        System.arraycopy(v, src, out.values(), dst, dh);
        out.visible()[j * out.length() + slot] = visible[p];
        if (map != null) {
            map.add(slot, p, 1f);
        }
    }

    /** Zeroes slot {@code slot} of head j before it accumulates. */
    private void clear(SparseKeys out, int j, int slot) {
        int dst = (j * out.length() + slot) * dh;
        Arrays.fill(out.keys(), dst, dst + dh, 0f);
        Arrays.fill(out.values(), dst, dst + dh, 0f);
    }

    /** sparsity_factor 1: every type returns the keys unchanged. */
    private void all(SparseKeys out, int j, float[] k, float[] v, int kBase, int tp, boolean[] visible, SparseMap map) {
        for (int p = 0; p < tp; p++) {
            gather(out, k, v, kBase, visible, j, p, p, map);
        }
    }

    /**
     * Chunks of min(b, s) positions; per chunk the chunk/f keys of largest L2 norm (masked keys
     * count 0), kept in ascending norm order as the reference's argsort leaves them. Norms in
     * double, so that rounding cannot swap a near tie.
     */
    private void norm(SparseKeys out, int j, float[] k, float[] v, int kBase, int tp, boolean[] visible, Scratch s,
                      SparseMap map) {
        int chunk = Math.min(c.blockSize(), c.sparseBlockSize());
        int keep = chunk / c.sparsityFactor();
        double[] norms = s.norms;
        int[] order = s.order;
        for (int start = 0; start < tp; start += chunk) {
            for (int i = 0; i < chunk; i++) {
                int p = start + i;
                double sq = 0;
                if (visible[p]) {
                    int o = kBase + p * d + j * dh;
                    for (int e = 0; e < dh; e++) {
                        sq += (double) k[o + e] * k[o + e];
                    }
                }
                norms[i] = Math.sqrt(sq);
            }
            sortByNorm(order, norms, chunk);
            int slot = start / chunk * keep;
            for (int i = chunk - keep; i < chunk; i++) {
                gather(out, k, v, kBase, visible, j, slot++, start + order[i], map);
            }
        }
    }

    /** order = 0 .. n-1 sorted by ascending norm, equal norms by index (a stable insertion sort). */
    private static void sortByNorm(int[] order, double[] norms, int n) {
        for (int i = 0; i < n; i++) {
            int idx = i;
            int at = i;
            while (at > 0 && norms[order[at - 1]] > norms[idx]) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = idx;
        }
    }

    /** Groups of f positions: mean of the unmasked members, visible when any member is. */
    private void pooling(SparseKeys out, int j, float[] k, float[] v, int kBase, boolean[] visible, SparseMap map) {
        int f = c.sparsityFactor();
        int len = out.length();
        for (int s = 0; s < len; s++) {
            clear(out, j, s);
            int dst = (j * len + s) * dh;
            int count = 0;
            for (int m = 0; m < f; m++) {
                int p = s * f + m;
                if (visible[p]) {
                    count++;
                    VectorMath.axpy(1f, k, kBase + p * d + j * dh, out.keys(), dst, dh);
                    VectorMath.axpy(1f, v, kBase + p * d + j * dh, out.values(), dst, dh);
                }
            }
            float divisor = count + 1e-6f;
            for (int e = 0; e < dh; e++) {
                out.keys()[dst + e] /= divisor;
                out.values()[dst + e] /= divisor;
            }
            out.visible()[j * len + s] = count > 0;
            if (map != null) {
                for (int m = 0; m < f; m++) {
                    if (visible[s * f + m]) {
                        map.add(s, s * f + m, 1f / divisor);
                    }
                }
            }
        }
    }

    /** Head j takes positions {@code i*f + (j mod f)}. */
    private void stride(SparseKeys out, int j, float[] k, float[] v, int kBase, boolean[] visible, SparseMap map) {
        int f = c.sparsityFactor();
        for (int i = 0; i < out.length(); i++) {
            gather(out, k, v, kBase, visible, j, i, i * f + j % f, map);
        }
    }

    /** Within each block of b, head j takes positions {@code (i + j*b/f) mod b}, i < b/f. */
    private void blockStride(SparseKeys out, int j, float[] k, float[] v, int kBase, int tp, boolean[] visible,
                             SparseMap map) {
        int b = c.blockSize();
        int step = b / c.sparsityFactor();
        int slot = 0;
        for (int blockStart = 0; blockStart < tp; blockStart += b) {
            for (int i = 0; i < step; i++) {
                gather(out, k, v, kBase, visible, j, slot++, blockStart + (i + j * step) % b, map);
            }
        }
    }

    /**
     * Groups of f positions pooled with {@code softmax(q0.k / sqrt(dh) + mask)} over the group,
     * q0 being the query of the first ordinary position. Every pooled key is visible, and a fully
     * masked group gets uniform weights: the reference's mask sum overflows, as documented.
     */
    private void bosPooling(SparseKeys out, int j, float[] q, float[] k, float[] v, int kBase, boolean[] visible,
                            Scratch scratch, SparseMap map) {
        int f = c.sparsityFactor();
        int len = out.length();
        float scale = (float) Math.sqrt(dh);
        float[] w = scratch.groupWeights;
        int q0 = kBase + j * dh;   // query of the first ordinary position, same layout as k
        for (int s = 0; s < len; s++) {
            float max = Float.NEGATIVE_INFINITY;
            boolean any = false;
            for (int m = 0; m < f; m++) {
                int p = s * f + m;
                if (visible[p]) {
                    w[m] = VectorMath.dot(q, q0, k, kBase + p * d + j * dh, dh) / scale;
                    max = Math.max(max, w[m]);
                    any = true;
                }
            }
            float sum = 0;
            for (int m = 0; m < f; m++) {
                boolean vis = visible[s * f + m];
                w[m] = !any ? 1f : vis ? (float) Math.exp(w[m] - max) : 0f;
                sum += w[m];
            }
            clear(out, j, s);
            int dst = (j * len + s) * dh;
            for (int m = 0; m < f; m++) {
                if (w[m] != 0f) {
                    int p = s * f + m;
                    VectorMath.axpy(w[m] / sum, k, kBase + p * d + j * dh, out.keys(), dst, dh);
                    VectorMath.axpy(w[m] / sum, v, kBase + p * d + j * dh, out.values(), dst, dh);
                }
                if (map != null) {
                    map.add(s, s * f + m, w[m] / sum);
                }
            }
            out.visible()[j * len + s] = true;
        }
    }

    /**
     * Chunks of min(b, s) positions hashed into buckets: each round projects the normalised keys
     * of a chunk on random directions R, takes the argmax over [xR, -xR] as the bucket, and sums
     * keys, values and weights (1 for an unmasked key) per bucket. The pre-rounds keep chunk
     * buckets, the final round chunk/f; keys and values are then divided by (weight + 1e-8).
     */
    private void lsh(SparseKeys out, int j, float[] k, float[] v, int kBase, int tp, boolean[] visible,
                     float[][] draws, Scratch s, SparseMap map) {
        int chunk = Math.min(c.blockSize(), c.sparseBlockSize());
        int outSize = chunk / c.sparsityFactor();
        int len = out.length();
        for (int ch = 0; ch < tp / chunk; ch++) {
            float[] xk = s.keys;
            float[] xv = s.values;
            float[] weight = s.weights;
            float[] nk = s.bucketKeys;
            float[] nv = s.bucketValues;
            float[] nw = s.bucketWeights;
            Arrays.fill(xk, 0f);
            Arrays.fill(xv, 0f);
            Arrays.fill(weight, 0f);
            for (int i = 0; i < chunk; i++) {
                int p = ch * chunk + i;
                if (visible[p]) {
                    System.arraycopy(k, kBase + p * d + j * dh, xk, i * dh, dh);
                    System.arraycopy(v, kBase + p * d + j * dh, xv, i * dh, dh);
                    weight[i] = 1f;
                }
            }
            int n = chunk;
            int[] path = s.path;   // the bucket each of the chunk's positions has reached
            for (int i = 0; i < chunk; i++) {
                path[i] = i;
            }
            for (int round = 0; round < draws.length; round++) {
                int buckets = round < draws.length - 1 ? chunk : outSize;
                Arrays.fill(nk, 0, buckets * dh, 0f);
                Arrays.fill(nv, 0, buckets * dh, 0f);
                Arrays.fill(nw, 0, buckets, 0f);
                int hashes = buckets / 2;
                int[] itemBucket = s.itemBucket;
                for (int i = 0; i < n; i++) {
                    int bucket = bucket(xk, i, weight[i] > 0, draws[round], j, hashes, s.projections);
                    itemBucket[i] = bucket;
                    VectorMath.axpy(1f, xk, i * dh, nk, bucket * dh, dh);
                    VectorMath.axpy(1f, xv, i * dh, nv, bucket * dh, dh);
                    nw[bucket] += weight[i];
                }
                for (int i = 0; i < chunk; i++) {
                    path[i] = itemBucket[path[i]];
                }
                // the buckets are the next round's items: swap the two sets of buffers
                float[] t = xk;
                xk = nk;
                nk = t;
                t = xv;
                xv = nv;
                nv = t;
                t = weight;
                weight = nw;
                nw = t;
                n = buckets;
            }
            for (int i = 0; i < outSize; i++) {
                int slot = ch * outSize + i;
                int dst = (j * len + slot) * dh;
                float divisor = weight[i] + 1e-8f;
                for (int e = 0; e < dh; e++) {
                    out.keys()[dst + e] = xk[i * dh + e] / divisor;
                    out.values()[dst + e] = xv[i * dh + e] / divisor;
                }
                out.visible()[j * len + slot] = weight[i] > 0;
            }
            if (map != null) {
                for (int i = 0; i < chunk; i++) {
                    if (visible[ch * chunk + i]) {
                        map.add(ch * outSize + path[i], ch * chunk + i, 1f / (weight[path[i]] + 1e-8f));
                    }
                }
            }
        }
    }

    /**
     * The bucket of key i: argmax over [p, -p] (first maximum) with p = normalize(key) * alive . R_j,
     * R_j the head-j slice (dh x hashes) of the draw. Computed in double so that rounding cannot
     * move a near tie.
     */
    private int bucket(float[] keys, int i, boolean alive, float[] draw, int j, int hashes, double[] p) {
        double norm = 0;
        for (int e = 0; e < dh; e++) {
            norm += (double) keys[i * dh + e] * keys[i * dh + e];
        }
        double inv = alive ? 1.0 / Math.max(Math.sqrt(norm), 1e-12) : 0.0;
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int h = 0; h < hashes; h++) {
            double sum = 0;
            for (int e = 0; e < dh; e++) {
                sum += keys[i * dh + e] * inv * draw[(j * dh + e) * hashes + h];
            }
            p[h] = sum;
            if (sum > bestValue) {
                bestValue = sum;
                best = h;
            }
        }
        for (int h = 0; h < hashes; h++) {
            if (-p[h] > bestValue) {
                bestValue = -p[h];
                best = hashes + h;
            }
        }
        return best;
    }

    /**
     * Length of the sparse sequence a type makes from tp positions: chunk/f keys per chunk of
     * min(b, s) for norm and lsh, one key per group of f otherwise, all tp keys when f is 1.
     */
    static int sparseLength(LsgConfig c, int tp) {
        int f = c.sparsityFactor();
        boolean chunked = c.sparsityType() == SparsityType.NORM
                || c.sparsityType() == SparsityType.LSH && f != c.sparseBlockSize();
        if (f == 1) {
            return tp;
        }
        if (chunked) {
            int chunk = Math.min(c.blockSize(), c.sparseBlockSize());
            requireMultiple(tp, chunk, c.sparsityType().configName());
            return tp / chunk * (chunk / f);
        }
        return tp / f;
    }

    private static void requireMultiple(int tp, int chunk, String type) {
        if (tp % chunk != 0) {
            throw new LsgException("sequence length " + tp + " (after adaptive padding) is not a multiple of"
                    + " min(block_size, sparse_block_size) = " + chunk + ", which " + type
                    + " sparsity needs (the reference fails here too)");
        }
    }
}
