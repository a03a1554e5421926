package org.lsg4j.tensor;

import java.util.Arrays;

/** A dense row-major int64 tensor (token ids, masks, labels, positions). */
public record LongTensor(int[] shape, long[] data) implements Tensor {
    public LongTensor {
        if (Shapes.size(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs "
                    + Shapes.size(shape) + " elements, got " + data.length);
        }
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
