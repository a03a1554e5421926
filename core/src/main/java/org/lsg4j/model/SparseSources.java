package org.lsg4j.model;

import java.util.Arrays;

/**
 * What one layer's sparsity function chose for one head of one document: for each sparse key
 * (slot) of the sparse sequence, the ordinary positions whose keys and values it was made from and
 * with which weights, and whether the slot is visible. Block i attends to the slots
 * {@link LsgGeometry#window(int)} lists, so this tells which tokens a block reads through its
 * sparse keys: for stride and block_stride a fixed pattern, for norm, lsh, pooling and bos_pooling
 * the data-dependent choice made on this document. Positions count ordinary rows (global tokens
 * excluded) in the padded length. Read-only: accessors return copies.
 *
 * <p>Weights by type: 1 for the gather types (norm, stride, block_stride, and every type at
 * sparsity_factor 1); {@code 1 / (count + 1e-6)} over a group's unmasked members for pooling;
 * {@code 1 / (bucket weight + 1e-8)} over a bucket's unmasked members for lsh; the softmax of
 * {@code q0.k / sqrt(dh)} over each group of sparsity_factor positions for bos_pooling (masked
 * members weigh 0, and they are listed).
 */
public final class SparseSources {
    private final LsgGeometry geometry;
    private final int layer;
    private final int head;
    private final int[][] sources;
    private final float[][] weights;
    private final boolean[] visible;

    private SparseSources(LsgGeometry geometry, int layer, int head, int[][] sources, float[][] weights,
                          boolean[] visible) {
        this.geometry = geometry;
        this.layer = layer;
        this.head = head;
        this.sources = sources;
        this.weights = weights;
        this.visible = visible;
    }

    /** Groups a recorded map's entries (slot, source, coefficient) by slot, in recording order. */
    static SparseSources of(LsgGeometry geometry, int layer, int head, SparseMap map, SparseKeys keys) {
        int slots = geometry.sparseLength();
        int[] counts = new int[slots];
        for (int i = 0; i < map.size; i++) {
            counts[map.slot[i]]++;
        }
        int[][] sources = new int[slots][];
        float[][] weights = new float[slots][];
        boolean[] visible = new boolean[slots];
        for (int s = 0; s < slots; s++) {
            sources[s] = new int[counts[s]];
            weights[s] = new float[counts[s]];
            visible[s] = keys.visible()[head * keys.length() + s];
        }
        int[] filled = new int[slots];
        for (int i = 0; i < map.size; i++) {
            int s = map.slot[i];
            sources[s][filled[s]] = map.source[i];
            weights[s][filled[s]++] = map.coef[i];
        }
        return new SparseSources(geometry, layer, head, sources, weights, visible);
    }

    /** The geometry of the document: blocks, local ranges and each block's sparse window. */
    public LsgGeometry geometry() {
        return geometry;
    }

    /** The layer (application) these keys belong to, from 0. */
    public int layer() {
        return layer;
    }

    /** The attention head, from 0. */
    public int head() {
        return head;
    }

    /** Sparse keys in the sparse sequence: {@link LsgGeometry#sparseLength()}. */
    public int slots() {
        return sources.length;
    }

    /** The ordinary positions slot {@code slot} was made from. */
    public int[] sources(int slot) {
        return sources[slot].clone();
    }

    /** The weight of each of {@link #sources(int)} in the slot's key and value. */
    public float[] weights(int slot) {
        return weights[slot].clone();
    }

    /** Whether the slot takes part in attention (its mask is not the most negative float). */
    public boolean visible(int slot) {
        return visible[slot];
    }

    @Override
    public String toString() {
        return "SparseSources[layer " + layer + ", head " + head + ", " + slots() + " slots, first "
                + (slots() == 0 ? "none" : Arrays.toString(sources[0])) + "]";
    }
}
