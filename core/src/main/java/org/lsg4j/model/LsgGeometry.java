package org.lsg4j.model;

import org.lsg4j.LsgException;

/**
 * The shape of LSG attention for one input length: the one place that decides adaptive padding,
 * the short or long path, the blocks and the sparse windows (see docs/lsg-model.md). The encoder,
 * its workspace, the FLOP count and {@code lsg info} all read it. Creating it fails, with the
 * reason, exactly where the reference fails on such a length.
 *
 * @param tokens       the t positions the caller gives
 * @param paddedLength the length the layers run at: t, or t padded to a multiple of block_size
 * @param longPath     whether queries attend block by block (else every query sees every key)
 * @param sparseLength keys in the sparse sequence (0 without sparse keys or on the short path)
 * @param windows      for each block, the sparse positions it sees (-1 outside the sparse
 *                     sequence), or null without sparse keys
 */
public record LsgGeometry(LsgConfig config, int tokens, int paddedLength, boolean longPath, int sparseLength,
                          int[][] windows) {

    /** The most sparse window slots of one length (blocks x 2 sparse_block_size) [32,768 at 16,384 tokens, block 128]. */
    static final long MAX_SPARSE_SLOTS = 1 << 26;

    /** The geometry of t positions; plain models always take the short path with no global tokens. */
    public static LsgGeometry of(LsgConfig c, int t) {
        if (t < 1 || t > LsgConfig.MAX_POSITIONS) {
            throw new LsgException("the input length must be in [1, " + LsgConfig.MAX_POSITIONS + "], got " + t);
        }
        int b = c.blockSize();
        int tp = t;
        if (c.lsg() && t > 2 * b && t % b != 0) {
            if (!c.adaptive()) {
                throw new LsgException("sequence length " + t + " is longer than 2 * block_size = " + 2 * b
                        + " and not a multiple of block_size " + b + ", and adaptive is false:"
                        + " the reference fails on such input (pad it to a multiple of " + b + " or set adaptive=true)");
            }
            tp = t + b - t % b;
        }
        boolean longPath = c.lsg() && tp > 2 * b;
        if (!longPath || !c.hasSparseKeys()) {
            return new LsgGeometry(c, t, tp, longPath, 0, null);
        }
        long slots = (long) (tp / b) * 2 * c.sparseBlockSize();
        if (slots > MAX_SPARSE_SLOTS) {
            throw new LsgException("at " + t + " tokens, " + tp / b + " blocks of block_size " + b + " each see 2 x "
                    + "sparse_block_size " + c.sparseBlockSize() + " sparse keys: " + slots + " slots, more than the "
                    + MAX_SPARSE_SLOTS + " lsg4j allows (block_size and sparse_block_size are far apart)");
        }
        int sparse = SparseSelection.sparseLength(c, tp);
        return new LsgGeometry(c, t, tp, true, sparse,
                SparseWindows.compute(b, c.sparseBlockSize(), c.sparsityFactor(), sparse, tp));
    }

    /** Rows each sequence has in the layers: the global tokens, then the padded positions. */
    public int rows() {
        return config.numGlobalTokens() + paddedLength;
    }

    /** Query blocks: paddedLength / block_size on the long path, 1 on the short path. */
    public int blocks() {
        return longPath ? paddedLength / config.blockSize() : 1;
    }

    /** Whether the sparse keys take part. */
    public boolean withSparseKeys() {
        return windows != null;
    }

    /**
     * Keys an ordinary query attends to as the pattern is drawn (out-of-range window slots and
     * masked keys included): all rows on the short path, else global + 3 blocks + 2 sparse windows.
     */
    public int keysPerQuery() {
        return longPath ? config.numGlobalTokens() + 3 * config.blockSize() + sparseKeysPerQuery() : rows();
    }

    /** Sparse keys among {@link #keysPerQuery()}: 2 sparse_block_size on the long path with sparse keys. */
    public int sparseKeysPerQuery() {
        return withSparseKeys() ? 2 * config.sparseBlockSize() : 0;
    }

    /** The sparse positions block i sees, -1 for slots outside the sparse sequence. */
    public int[] window(int block) {
        return windows[block];
    }

    /** The ordinary positions of block i's local keys: {@code [(i-1)b, (i+2)b)} cut to the sequence. */
    public int localFrom(int block) {
        return Math.max(0, (block - 1) * config.blockSize());
    }

    /** The end (exclusive) of block i's local keys. */
    public int localTo(int block) {
        return Math.min(paddedLength, (block + 2) * config.blockSize());
    }

    /** The most keys any query gathers: every row, plus a block's local window when f = 1 repeats them. */
    public int maxGatheredKeys() {
        return rows() + Math.min(paddedLength, 3 * config.blockSize());
    }
}
