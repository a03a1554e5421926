package org.lsg4j.tensor;

/** A dense tensor of float32 or int64 values. */
public sealed interface Tensor permits FloatTensor, LongTensor {
    int[] shape();

    String shapeString();
}
