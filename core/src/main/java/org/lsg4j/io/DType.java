package org.lsg4j.io;

import java.util.Arrays;
import org.lsg4j.LsgException;

/** Element types of stored tensors, named as in the safetensors header. */
public enum DType {
    F64(8, true),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U8(1, false),
    BOOL(1, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the floating-point types, which {@link SafeTensors#floats} reads. */
    public boolean isFloating() {
        return floating;
    }

    /**
     * The type with this safetensors name ("F32", "BF16", "BOOL", ...).
     *
     * @throws LsgException if the name is not one of the supported types
     */
    public static DType parse(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new LsgException("unknown dtype '" + name + "' (supported: " + Arrays.toString(values()) + ")");
    }
}
