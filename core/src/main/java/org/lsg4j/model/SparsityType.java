package org.lsg4j.model;

/**
 * How the keys of a long sequence are reduced to the sparse keys each block also sees
 * ({@code sparsity_type} in config.json).
 */
public enum SparsityType {
    /** No sparse keys: local blocks and global tokens only ({@code "none"} or null). */
    NONE("none"),
    /** Per chunk, the keys with the largest L2 norm. */
    NORM("norm"),
    /** Mean of each group of {@code sparsity_factor} unmasked keys. */
    POOLING("pooling"),
    /** Locality-sensitive hashing of keys into buckets, summed. */
    LSH("lsh"),
    /** Every {@code sparsity_factor}-th key, offset by the head index. */
    STRIDE("stride"),
    /** A strided selection inside each block, offset by the head index. */
    BLOCK_STRIDE("block_stride"),
    /** Groups of keys pooled with softmax weights from the first token's query. */
    BOS_POOLING("bos_pooling");

    private final String configName;

    SparsityType(String configName) {
        this.configName = configName;
    }

    /** The name config.json uses. */
    public String configName() {
        return configName;
    }

    /** The type with this config name, or null when the name is unknown. */
    public static SparsityType fromConfigName(String name) {
        for (SparsityType t : values()) {
            if (t.configName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
