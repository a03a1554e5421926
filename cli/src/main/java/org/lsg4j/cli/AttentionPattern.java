package org.lsg4j.cli;

import org.lsg4j.model.LsgConfig;

/**
 * What LSG attention does for an input of a given length (see docs/lsg-model.md): inputs up to
 * two blocks take the short path, full attention; longer ones are padded to a multiple of the
 * block size (adaptive) and each query block sees the global tokens, its block and both
 * neighbours, and the sparse keys on each side.
 *
 * @param tokens the input length
 * @param paddedLength the length the encoder runs at
 * @param longPath whether block-local attention is used
 * @param blocks query blocks (1 on the short path)
 * @param keysPerQuery keys each ordinary query attends to (global tokens included)
 * @param sparseKeys sparse keys among them
 */
record AttentionPattern(int tokens, int paddedLength, boolean longPath, int blocks, int keysPerQuery, int sparseKeys) {

    static AttentionPattern of(LsgConfig c, int tokens) {
        int b = c.blockSize();
        int padded = tokens <= 2 * b || tokens % b == 0 || !c.adaptive() ? tokens : tokens + b - tokens % b;
        int g = c.numGlobalTokens();
        if (padded <= 2 * b) {
            return new AttentionPattern(tokens, padded, false, 1, g + padded, 0);
        }
        int sparse = c.hasSparseKeys() ? 2 * c.sparseBlockSize() : 0;
        return new AttentionPattern(tokens, padded, true, padded / b, g + 3 * b + sparse, sparse);
    }
}
