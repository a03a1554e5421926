package org.lsg4j.tensor;

import java.util.Arrays;

/** A dense row-major float32 tensor: a shape and a flat array that holds exactly its elements. */
public record FloatTensor(int[] shape, float[] data) implements Tensor {
    public FloatTensor {
        if (Shapes.size(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs "
                    + Shapes.size(shape) + " elements, got " + data.length);
        }
    }

    public static FloatTensor zeros(int... shape) {
        return new FloatTensor(shape.clone(), new float[Math.toIntExact(Shapes.size(shape))]);
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
