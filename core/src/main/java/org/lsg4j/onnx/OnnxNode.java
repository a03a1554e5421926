package org.lsg4j.onnx;

import java.util.List;
import java.util.Map;

/**
 * A graph node ({@code NodeProto}). An input name is empty when an optional input is left out.
 *
 * @param index the node's position in the graph, for messages
 * @param domain the operator set's domain; {@code ""} is the default ONNX domain
 */
public record OnnxNode(int index, String name, String opType, String domain, List<String> inputs,
                       List<String> outputs, Map<String, OnnxAttribute> attributes) {
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }

    /** The node's name, or {@code #index opType} when it has none: how messages refer to it. */
    public String label() {
        return name.isEmpty() ? "#" + index + " " + opType : name;
    }

    /** The attribute with this name, or null. */
    public OnnxAttribute attribute(String attributeName) {
        return attributes.get(attributeName);
    }
}
