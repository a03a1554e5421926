package org.lsg4j.onnx;

import java.util.List;

/**
 * A graph input or output ({@code ValueInfoProto}) of tensor type.
 *
 * @param elementType the tensor's element type, or null when the file does not give one
 * @param dims each dimension as its number or its symbolic name ({@code batch_size}); {@code ?} when
 *     unknown; empty when the file gives no shape
 */
public record OnnxValueInfo(String name, OnnxDataType elementType, List<String> dims) {
    public OnnxValueInfo {
        dims = List.copyOf(dims);
    }
}
