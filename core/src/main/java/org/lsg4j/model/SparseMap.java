package org.lsg4j.model;

/**
 * How one head's sparse keys were made from its keys, for the backward pass: entry i says that
 * sparse slot {@code slot[i]} took {@code coef[i]} times the key (and value) of ordinary position
 * {@code source[i]}. Gather types have one entry of coefficient 1 per slot; pooling and lsh
 * divide sums by their counts; bos_pooling's coefficients are a softmax of {@code q0.k / sqrt(dh)}
 * over each group of sparsity_factor consecutive entries, so its gradient also reaches q0 and the
 * keys through the weights. The selection itself (which positions, which buckets) is piecewise
 * constant and passes no gradient, as in autograd.
 */
final class SparseMap {
    final int[] slot;
    final int[] source;
    final float[] coef;
    int size;
    /** bos_pooling: entries come in groups of sparsity_factor whose coefficients are a softmax. */
    boolean softmaxGroups;

    SparseMap(int capacity) {
        slot = new int[capacity];
        source = new int[capacity];
        coef = new float[capacity];
    }

    void clear(boolean softmax) {
        size = 0;
        softmaxGroups = softmax;
    }

    void add(int s, int position, float c) {
        slot[size] = s;
        source[size] = position;
        coef[size] = c;
        size++;
    }
}
