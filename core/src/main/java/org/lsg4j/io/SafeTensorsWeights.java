package org.lsg4j.io;

import java.nio.file.Path;
import java.util.List;
import org.lsg4j.tensor.FloatTensor;

/** A safetensors file seen as a {@link WeightFile}. */
final class SafeTensorsWeights implements WeightFile {
    private final SafeTensors file;

    private SafeTensorsWeights(SafeTensors file) {
        this.file = file;
    }

    static SafeTensorsWeights open(Path path) {
        return new SafeTensorsWeights(SafeTensors.open(path));
    }

    @Override
    public Path path() {
        return file.path();
    }

    @Override
    public List<String> keys() {
        return file.names();
    }

    @Override
    public boolean contains(String key) {
        return file.contains(key);
    }

    @Override
    public int[] shape(String key) {
        return file.info(key).shape();
    }

    @Override
    public FloatTensor floats(String key) {
        return file.floats(key);
    }

    @Override
    public void close() {
        file.close();
    }
}
