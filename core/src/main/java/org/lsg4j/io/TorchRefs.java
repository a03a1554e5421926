package org.lsg4j.io;

/** What the restricted unpickler builds from a torch state dict: references to storages and tensor views. */
final class TorchRefs {
    private TorchRefs() {
    }

    /** A global the unpickler allows, such as {@code torch.FloatStorage}; it is a name, never a loaded object. */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** A storage saved as archive entry {@code data/<key>}, holding {@code numel} elements of {@code dtype}. */
    record Storage(DType dtype, String key, long numel) {
    }

    /** A tensor: a strided view ({@code offset} and {@code strides} in elements) into a storage. */
    record Tensor(Storage storage, long offset, int[] shape, long[] strides) {
        Tensor {
            shape = shape.clone();
            strides = strides.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public long[] strides() {
            return strides.clone();
        }

        /** Storage index one past the last element the view reads (equal to offset when it is empty). */
        long extent() {
            long last = offset;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] == 0) {
                    return offset;
                }
                last = Math.addExact(last, Math.multiplyExact(shape[i] - 1L, strides[i]));
            }
            return last + 1;
        }
    }
}
