package org.lsg4j.onnx;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the part of the ONNX schema ({@code onnx.proto}, proto2) that a model's weights and graph
 * structure need: {@code ModelProto} (ir_version, producer, opset_import, graph), {@code GraphProto}
 * (node, initializer, input, output), {@code NodeProto}, {@code AttributeProto}, {@code TensorProto}
 * and the tensor part of {@code ValueInfoProto}. Fields outside that part are skipped. What the part
 * covers but lsg4j does not support (external or segmented tensor data, sparse initializers,
 * subgraph attributes, string tensors) is refused with the field's path, never silently dropped.
 *
 * <p>Field numbers are those of {@code onnx.proto}; each {@code case} names its field.
 */
final class OnnxParser {
    private final String file;

    private OnnxParser(String file) {
        this.file = file;
    }

    /** The parts of a {@code ModelProto}. */
    record Parts(long irVersion, String producerName, String producerVersion, Map<String, Long> opsets,
                 OnnxGraph graph) {
        Parts {
            opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
        }
    }

    /** Decodes a whole {@code ModelProto} held in {@code bytes}, read from {@code file}. */
    static Parts parse(MemorySegment bytes, String file) {
        return new OnnxParser(file).model(ProtoReader.of(bytes, file, "ModelProto"));
    }

    private Parts model(ProtoReader r) {
        long irVersion = 0;
        String producerName = "";
        String producerVersion = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        OnnxGraph graph = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> irVersion = r.varint("ir_version");
                case 2 -> producerName = r.string("producer_name");
                case 3 -> producerVersion = r.string("producer_version");
                case 7 -> {
                    if (graph != null) {
                        throw r.error("graph: the model has two graphs");
                    }
                    graph = graph(r.message("graph"));
                }
                case 8 -> opset(r.message("opset_import[" + opsets.size() + "]"), opsets);
                default -> r.skip();
            }
        }
        if (graph == null) {
            throw r.error("no graph (field 7); is this an ONNX model?");
        }
        return new Parts(irVersion, producerName, producerVersion, opsets, graph);
    }

    private static void opset(ProtoReader r, Map<String, Long> opsets) {
        String domain = "";
        long version = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> domain = r.string("domain");
                case 2 -> version = r.varint("version");
                default -> r.skip();
            }
        }
        opsets.put(domain.equals("ai.onnx") ? "" : domain, version);
    }

    private OnnxGraph graph(ProtoReader r) {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        List<OnnxValueInfo> inputs = new ArrayList<>();
        List<OnnxValueInfo> outputs = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> nodes.add(node(r.message("node[" + nodes.size() + "]"), nodes.size()));
                case 2 -> name = r.string("name");
                case 5 -> {
                    ProtoReader t = r.message("initializer[" + initializers.size() + "]");
                    OnnxTensor tensor = tensor(t);
                    if (tensor.name().isEmpty()) {
                        throw t.error("an initializer has no name");
                    }
                    if (initializers.putIfAbsent(tensor.name(), tensor) != null) {
                        throw t.error("a second initializer named '" + tensor.name() + "'");
                    }
                }
                case 11 -> inputs.add(valueInfo(r.message("input[" + inputs.size() + "]")));
                case 12 -> outputs.add(valueInfo(r.message("output[" + outputs.size() + "]")));
                case 15 -> throw r.error("sparse_initializer: sparse initializers are not supported");
                default -> r.skip();
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private OnnxNode node(ProtoReader r, int index) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        String domain = "";
        Map<String, OnnxAttribute> attributes = new LinkedHashMap<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> inputs.add(r.string("input"));
                case 2 -> outputs.add(r.string("output"));
                case 3 -> name = r.string("name");
                case 4 -> opType = r.string("op_type");
                case 5 -> {
                    ProtoReader a = r.message("attribute[" + attributes.size() + "]");
                    OnnxAttribute attribute = attribute(a);
                    if (attributes.putIfAbsent(attribute.name(), attribute) != null) {
                        throw a.error("a second attribute named '" + attribute.name() + "'");
                    }
                }
                case 7 -> domain = r.string("domain");
                default -> r.skip();
            }
        }
        if (opType.isEmpty()) {
            throw r.error("the node has no op_type");
        }
        return new OnnxNode(index, name, opType, domain.equals("ai.onnx") ? "" : domain, inputs, outputs, attributes);
    }

    private OnnxAttribute attribute(ProtoReader r) {
        String name = "";
        int declared = 0;
        float f = 0;
        long i = 0;
        String s = "";
        OnnxTensor t = null;
        ProtoReader.Floats floats = new ProtoReader.Floats();
        ProtoReader.Longs ints = new ProtoReader.Longs();
        List<String> strings = new ArrayList<>();
        OnnxAttribute.Kind seen = null;
        boolean several = false;
        while (r.next()) {
            OnnxAttribute.Kind kind = switch (r.field()) {
                case 1 -> {
                    name = r.string("name");
                    yield null;
                }
                case 2 -> {
                    f = r.float32("f");
                    yield OnnxAttribute.Kind.FLOAT;
                }
                case 3 -> {
                    i = r.varint("i");
                    yield OnnxAttribute.Kind.INT;
                }
                case 4 -> {
                    s = r.string("s");
                    yield OnnxAttribute.Kind.STRING;
                }
                case 5 -> {
                    t = tensor(r.message("t"));
                    yield OnnxAttribute.Kind.TENSOR;
                }
                case 7 -> {
                    r.floats("floats", floats);
                    yield OnnxAttribute.Kind.FLOATS;
                }
                case 8 -> {
                    r.varints("ints", ints);
                    yield OnnxAttribute.Kind.INTS;
                }
                case 9 -> {
                    strings.add(r.string("strings"));
                    yield OnnxAttribute.Kind.STRINGS;
                }
                case 20 -> {
                    declared = r.int32("type");
                    yield null;
                }
                case 6, 10, 11, 14, 15, 22, 23 -> throw r.error("attribute '" + name + "': field " + r.field()
                        + " (a subgraph, tensor list, sparse tensor or type) is not supported");
                case 21 -> throw r.error("attribute '" + name + "': ref_attr_name (a function attribute reference)"
                        + " is not supported");
                default -> {
                    r.skip();
                    yield null;
                }
            };
            if (kind != null) {
                several |= seen != null && seen != kind;
                seen = kind;
            }
        }
        OnnxAttribute.Kind kind;
        if (declared != 0) {
            kind = OnnxAttribute.Kind.fromCode(declared);
            if (kind == null) {
                throw r.error("attribute '" + name + "': type " + declared
                        + " (a subgraph, tensor list, sparse tensor or type) is not supported");
            }
        } else if (seen == null || several) {
            throw r.error("attribute '" + name + "': no type, and " + (seen == null ? "no value" : "values of several kinds"));
        } else {
            kind = seen;
        }
        Object value = switch (kind) {
            case FLOAT -> f;
            case INT -> i;
            case STRING -> s;
            case TENSOR -> {
                if (t == null) {
                    throw r.error("attribute '" + name + "': of type TENSOR but has no tensor");
                }
                yield t;
            }
            case FLOATS -> floats.toArray();
            case INTS -> ints.toArray();
            case STRINGS -> List.copyOf(strings);
        };
        return new OnnxAttribute(name, kind, value);
    }

    private OnnxTensor tensor(ProtoReader r) {
        ProtoReader.Longs dims = new ProtoReader.Longs();
        int code = 0;
        String name = "";
        MemorySegment raw = null;
        ProtoReader.Floats floatData = new ProtoReader.Floats();
        ProtoReader.Longs int32Data = new ProtoReader.Longs();
        ProtoReader.Longs int64Data = new ProtoReader.Longs();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.varints("dims", dims);
                case 2 -> code = r.int32("data_type");
                case 3 -> throw r.error("segment: segmented tensors are not supported");
                case 4 -> r.floats("float_data", floatData);
                case 5 -> r.varints("int32_data", int32Data);
                case 7 -> r.varints("int64_data", int64Data);
                case 8 -> name = r.string("name");
                case 9 -> raw = r.bytes("raw_data");
                case 6, 10, 11 -> throw r.error(tensorLabel(name) + "field " + r.field()
                        + " (string_data, double_data or uint64_data) is not supported");
                case 13 -> throw r.error(tensorLabel(name) + "keeps its data in an external file (external_data);"
                        + " external data is not supported, save the model with its tensors inside the .onnx file");
                case 14 -> {
                    if (r.int32("data_location") != 0) {
                        throw r.error(tensorLabel(name) + "data_location EXTERNAL: external data is not supported,"
                                + " save the model with its tensors inside the .onnx file");
                    }
                }
                default -> r.skip();
            }
        }
        OnnxDataType type = OnnxDataType.fromCode(code);
        if (type == null) {
            throw r.error(tensorLabel(name) + "data_type " + code + " is not a known ONNX element type");
        }
        long[] shape = dims.toArray();
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw r.error(tensorLabel(name) + "dimension " + d + " is negative");
            }
            count *= d;
            if (count > Integer.MAX_VALUE - 8) {
                throw r.error(tensorLabel(name) + "more elements than a Java array can hold (dims "
                        + Arrays.toString(shape) + ")");
            }
        }
        int sources = (raw != null ? 1 : 0) + (floatData.size() > 0 ? 1 : 0) + (int32Data.size() > 0 ? 1 : 0)
                + (int64Data.size() > 0 ? 1 : 0);
        if (sources > 1) {
            throw r.error(tensorLabel(name) + "values in more than one of raw_data, float_data, int32_data, int64_data");
        }
        float[] floats = null;
        long[] ints = null;
        if (raw != null) {
            if (type.byteSize() == 0) {
                throw r.error(tensorLabel(name) + type + " tensors are not supported");
            }
            if (raw.byteSize() != count * type.byteSize()) {
                throw r.error(tensorLabel(name) + "raw_data has " + raw.byteSize() + " bytes, expected " + count
                        + " " + type + " elements = " + count * type.byteSize() + " bytes");
            }
        } else if (floatData.size() > 0) {
            typed(r, name, type, OnnxDataType.FLOAT, "float_data", floatData.size(), count);
            floats = floatData.toArray();
        } else if (int32Data.size() > 0) {
            typed(r, name, type, OnnxDataType.INT32, "int32_data", int32Data.size(), count);
            ints = int32Data.toArray();
            for (int k = 0; k < ints.length; k++) {
                ints[k] = (int) ints[k];
            }
        } else if (int64Data.size() > 0) {
            typed(r, name, type, OnnxDataType.INT64, "int64_data", int64Data.size(), count);
            ints = int64Data.toArray();
        } else if (count > 0) {
            throw r.error(tensorLabel(name) + "no values for " + count + " elements (no raw_data or typed data)");
        }
        return new OnnxTensor(file + ": " + r.where(), name, type, shape, (int) count, raw, floats, ints);
    }

    /** Checks a typed data field: allowed for this element type, one value per element. */
    private static void typed(ProtoReader r, String name, OnnxDataType type, OnnxDataType expected, String field,
                                int size, long count) {
        if (type != expected) {
            throw r.error(tensorLabel(name) + field + " for a " + type + " tensor is not supported");
        }
        if (size != count) {
            throw r.error(tensorLabel(name) + field + " has " + size + " values, expected " + count);
        }
    }

    private static String tensorLabel(String name) {
        return name.isEmpty() ? "" : "tensor '" + name + "': ";
    }

    private OnnxValueInfo valueInfo(ProtoReader r) {
        String name = "";
        OnnxDataType elementType = null;
        List<String> dims = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string("name");
                case 2 -> {
                    ProtoReader type = r.message("type");
                    while (type.next()) {
                        if (type.field() != 1) {
                            type.skip();
                            continue;
                        }
                        ProtoReader tensor = type.message("tensor_type");
                        while (tensor.next()) {
                            switch (tensor.field()) {
                                case 1 -> elementType = OnnxDataType.fromCode(tensor.int32("elem_type"));
                                case 2 -> shape(tensor.message("shape"), dims);
                                default -> tensor.skip();
                            }
                        }
                    }
                }
                default -> r.skip();
            }
        }
        return new OnnxValueInfo(name, elementType, dims);
    }

    private static void shape(ProtoReader r, List<String> dims) {
        while (r.next()) {
            if (r.field() != 1) {
                r.skip();
                continue;
            }
            ProtoReader dim = r.message("dim[" + dims.size() + "]");
            String value = "?";
            while (dim.next()) {
                switch (dim.field()) {
                    case 1 -> value = Long.toString(dim.varint("dim_value"));
                    case 2 -> value = dim.string("dim_param");
                    default -> dim.skip();
                }
            }
            dims.add(value);
        }
    }
}
