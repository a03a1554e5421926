package org.lsg4j.io;

import java.nio.file.Path;
import java.util.List;
import org.lsg4j.tensor.FloatTensor;

/** One file of model weights, whatever its format: named tensors read as float32. */
interface WeightFile extends AutoCloseable {
    /** The file on disk. */
    Path path();

    /** Tensor names, in file order. */
    List<String> keys();

    /** Whether the file holds a tensor with this name. */
    boolean contains(String key);

    /** Shape of a tensor that {@link #keys()} lists. */
    int[] shape(String key);

    /** A fresh float32 copy of a tensor that {@link #keys()} lists. */
    FloatTensor floats(String key);

    /** Releases the file; does nothing when called again. */
    @Override
    void close();
}
