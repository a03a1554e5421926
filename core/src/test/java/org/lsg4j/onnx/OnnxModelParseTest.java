package org.lsg4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;

/** The ONNX protobuf decoder on small hand-built messages: every field kind it reads, and broken input. */
class OnnxModelParseTest {

    /** A graph with one node of each attribute kind, initializers in each data encoding, typed inputs/outputs. */
    private static ProtoBytes graph() {
        ProtoBytes g = ProtoBytes.message()
                .string(2, "g")
                .string(10, "doc string, skipped")
                .message(1, ProtoBytes.message().string(1, "x").string(1, "w").string(2, "y").string(3, "mm")
                        .string(4, "MatMul"))
                .message(1, ProtoBytes.message().string(2, "c").string(4, "Constant")
                        .message(5, ProtoBytes.message().string(1, "value").varint(20, 4)
                                .message(5, ProtoBytes.message().packedVarints(1, 2).varint(2, 7)
                                        .packedVarints(7, 3, -1))))
                .message(1, ProtoBytes.message().string(4, "Foo").string(7, "ai.onnx")
                        .message(5, ProtoBytes.message().string(1, "f").varint(20, 1).fixed32(2, 0.5f))
                        .message(5, ProtoBytes.message().string(1, "i").varint(20, 2).varint(3, -3))
                        .message(5, ProtoBytes.message().string(1, "s").varint(20, 3).string(4, "abc"))
                        .message(5, ProtoBytes.message().string(1, "floats").varint(20, 6).packedFloats(7, 1, 2))
                        .message(5, ProtoBytes.message().string(1, "untyped").fixed32(7, 1.5f).fixed32(7, 2.5f))
                        .message(5, ProtoBytes.message().string(1, "ints").varint(20, 7).packedVarints(8, 1, 300, -2))
                        .message(5, ProtoBytes.message().string(1, "ints_unpacked").varint(20, 7).varint(8, 4)
                                .varint(8, 5))
                        .message(5, ProtoBytes.message().string(1, "strings").varint(20, 8).string(9, "a")
                                .string(9, "b")))
                .message(5, ProtoBytes.message().varint(1, 2).varint(1, 3).varint(2, 1).string(8, "w")
                        .bytes(9, ProtoBytes.floatsLe(1, 2, 3, 4, 5, 6)))
                .message(5, ProtoBytes.message().packedVarints(1, 2).varint(2, 1).string(8, "f")
                        .packedFloats(4, 1.5f, -2))
                .message(5, ProtoBytes.message().packedVarints(1, 3).varint(2, 7).string(8, "l")
                        .varint(7, 1).varint(7, 2).varint(7, -3))
                .message(5, ProtoBytes.message().varint(2, 6).string(8, "i32").packedVarints(5, -5))
                .message(11, ProtoBytes.message().string(1, "x").message(2, ProtoBytes.message().message(1,
                        ProtoBytes.message().varint(1, 1).message(2, ProtoBytes.message()
                                .message(1, ProtoBytes.message().string(2, "batch"))
                                .message(1, ProtoBytes.message().varint(1, 384))
                                .message(1, ProtoBytes.message())))))
                .message(12, ProtoBytes.message().string(1, "y").message(2, ProtoBytes.message()
                        .message(4, ProtoBytes.message())));
        return g;
    }

    private static byte[] model(ProtoBytes graph) {
        return ProtoBytes.message()
                .varint(1, 8)
                .string(2, "test")
                .string(3, "1.0")
                .message(8, ProtoBytes.message().string(1, "").varint(2, 17))
                .message(8, ProtoBytes.message().string(1, "com.microsoft").varint(2, 1))
                .varint(99, 1).fixed64(98, 2).fixed32(97, 3).string(96, "unknown fields are skipped")
                .message(7, graph)
                .toBytes();
    }

    private static OnnxModel parse(byte[] bytes) {
        return OnnxModel.parse(bytes, "test.onnx");
    }

    @Test
    void readsEveryFieldKind() {
        OnnxModel m = parse(model(graph()));
        assertEquals(8, m.irVersion());
        assertEquals("test 1.0", m.producer());
        assertEquals(Map.of("", 17L, "com.microsoft", 1L), m.opsets());
        OnnxGraph g = m.graph();
        assertEquals("g", g.name());
        assertEquals(3, g.nodes().size());

        OnnxNode mm = g.nodes().get(0);
        assertEquals(List.of("x", "w"), mm.inputs());
        assertEquals(List.of("y"), mm.outputs());
        assertEquals("mm", mm.label());
        assertEquals("MatMul", mm.opType());

        OnnxTensor constant = (OnnxTensor) g.nodes().get(1).attribute("value").value();
        assertArrayEquals(new long[] {3, -1}, constant.longs());
        assertEquals("#1 Constant", g.nodes().get(1).label());

        OnnxNode foo = g.nodes().get(2);
        assertEquals("", foo.domain(), "ai.onnx is the default domain");
        assertEquals(0.5f, foo.attribute("f").value());
        assertEquals(-3L, foo.attribute("i").value());
        assertEquals("abc", foo.attribute("s").value());
        assertArrayEquals(new float[] {1, 2}, (float[]) foo.attribute("floats").value());
        assertEquals(OnnxAttribute.Kind.FLOATS, foo.attribute("untyped").kind(), "kind inferred from the field");
        assertArrayEquals(new float[] {1.5f, 2.5f}, (float[]) foo.attribute("untyped").value());
        assertArrayEquals(new long[] {1, 300, -2}, (long[]) foo.attribute("ints").value());
        assertArrayEquals(new long[] {4, 5}, (long[]) foo.attribute("ints_unpacked").value());
        assertEquals(List.of("a", "b"), foo.attribute("strings").value());

        OnnxTensor w = g.initializers().get("w");
        assertArrayEquals(new long[] {2, 3}, w.dims());
        assertEquals(OnnxDataType.FLOAT, w.dataType());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.floats());
        assertArrayEquals(new float[] {1.5f, -2}, g.initializers().get("f").floats());
        assertArrayEquals(new long[] {1, 2, -3}, g.initializers().get("l").longs());
        OnnxTensor i32 = g.initializers().get("i32");
        assertArrayEquals(new long[0], i32.dims(), "a scalar");
        assertArrayEquals(new long[] {-5}, i32.longs());
        assertEquals(List.of("w", "f", "l", "i32"), List.copyOf(g.initializers().keySet()));

        LsgException e = assertThrows(LsgException.class, w::longs);
        assertEquals("test.onnx: ModelProto.graph.initializer[0] 'w': data type FLOAT, expected INT64 or INT32", e.getMessage());
        assertThrows(LsgException.class, i32::floats);

        assertEquals(new OnnxValueInfo("x", OnnxDataType.FLOAT, List.of("batch", "384", "?")), g.inputs().get(0));
        assertEquals(new OnnxValueInfo("y", null, List.of()), g.outputs().get(0), "a sequence output has no tensor type");
    }

    @Test
    void memoryMapsAFileAndRefusesReadsAfterClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.onnx");
        Files.write(file, model(graph()));
        OnnxModel m = OnnxModel.open(file);
        OnnxTensor w;
        try {
            w = m.graph().initializers().get("w");
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.floats());
        } finally {
            m.close();
        }
        m.close();   // closing twice is harmless
        LsgException e = assertThrows(LsgException.class, w::floats);
        assertTrue(e.getMessage().contains("its ONNX file is closed"), e.getMessage());
        LsgException missing = assertThrows(LsgException.class, () -> OnnxModel.open(dir.resolve("none.onnx")));
        assertTrue(missing.getMessage().startsWith(dir.resolve("none.onnx") + ": no such file (expected the ONNX file)"), missing.getMessage());
    }

    private static void assertRefused(byte[] bytes, String expected) {
        LsgException e = assertThrows(LsgException.class, () -> parse(bytes));
        assertTrue(e.getMessage().contains(expected), () -> "message: " + e.getMessage() + "\nexpected to contain: " + expected);
        assertTrue(e.getMessage().startsWith("test.onnx: ModelProto"), e.getMessage());
    }

    /** A model whose graph holds one initializer built by {@code tensor}. */
    private static byte[] withInitializer(UnaryOperator<ProtoBytes> tensor) {
        return ProtoBytes.message().message(7, ProtoBytes.message().message(5, tensor.apply(ProtoBytes.message())))
                .toBytes();
    }

    /** A model whose graph holds one node with one attribute built by {@code attribute}. */
    private static byte[] withAttribute(UnaryOperator<ProtoBytes> attribute) {
        return ProtoBytes.message().message(7, ProtoBytes.message().message(1, ProtoBytes.message()
                .string(4, "Op").message(5, attribute.apply(ProtoBytes.message().string(1, "a"))))).toBytes();
    }

    @Test
    void refusesMalformedWireFormat() {
        assertRefused(new byte[] {0x08, (byte) 0x80}, "ModelProto: ir_version: truncated varint at the end of ModelProto");
        assertRefused(new byte[] {0x3A, 0x05, 0x01}, "ModelProto: graph: length 5 runs past the end of ModelProto (1 bytes left)");
        assertRefused(ProtoBytes.message().tag(7, 2).rawVarint(1L << 40).toBytes(), "length 1099511627776 runs past the end");
        assertRefused(ProtoBytes.message().tag(7, 2).rawVarint(-1).toBytes(), "length 18446744073709551615 runs past the end");
        assertRefused(ProtoBytes.message().tag(1, 0).raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)
                .toBytes(), "ir_version: varint longer than 64 bits");
        assertRefused(ProtoBytes.message().tag(5, 3).toBytes(), "field 5: wire type 3 (group) is not supported");
        assertRefused(ProtoBytes.message().tag(5, 7).toBytes(), "field 5: wire type 7 is not valid");
        assertRefused(new byte[] {0x00}, "field number 0");
        assertRefused(ProtoBytes.message().string(1, "8").toBytes(), "ir_version (field 1): wire type 2, expected 0");
        assertRefused(ProtoBytes.message().fixed64(99, 0).tag(97, 5).raw(0x01).toBytes(),
                "field 97: truncated, 4 bytes needed, 1 left");
        assertRefused(ProtoBytes.message().varint(1, 8).toBytes(), "ModelProto: no graph (field 7); is this an ONNX model?");
        assertRefused(ProtoBytes.message().bytes(2, new byte[] {(byte) 0xC3, 0x28}).message(7, ProtoBytes.message())
                .toBytes(), "producer_name: string is not valid UTF-8");
        assertRefused(ProtoBytes.message().message(7, ProtoBytes.message()).message(7, ProtoBytes.message()).toBytes(),
                "the model has two graphs");
    }

    @Test
    void refusesInconsistentTensors() {
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 1).packedVarints(1, 2).bytes(9, new byte[5])),
                "ModelProto.graph.initializer[0]: tensor 'w': raw_data has 5 bytes, expected 2 FLOAT elements = 8 bytes");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 1).varint(1, -1)), "tensor 'w': dimension -1 is negative");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 1).packedVarints(1, 1 << 20, 1 << 20, 1 << 20)),
                "more elements than a Java array can hold");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 99)), "tensor 'w': data_type 99 is not a known ONNX element type");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 1).packedVarints(1, 2).packedFloats(4, 1, 2, 3)),
                "float_data has 3 values, expected 2");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 7).packedFloats(4, 1)),
                "float_data for a INT64 tensor is not supported");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 1).packedVarints(1, 1).packedFloats(4, 1)
                .bytes(9, ProtoBytes.floatsLe(1))), "values in more than one of raw_data, float_data");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 1).packedVarints(1, 3)), "no values for 3 elements");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 8).bytes(9, new byte[0])), "STRING tensors are not supported");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 1).bytes(4, new byte[] {1, 2, 3})),
                "float_data: packed floats of 3 bytes, not a multiple of 4");
        assertRefused(withInitializer(t -> t.varint(2, 1).packedFloats(4, 1)), "an initializer has no name");
        assertRefused(ProtoBytes.message().message(7, ProtoBytes.message()
                        .message(5, ProtoBytes.message().string(8, "w").varint(2, 1).packedFloats(4, 1))
                        .message(5, ProtoBytes.message().string(8, "w").varint(2, 1).packedFloats(4, 2))).toBytes(),
                "ModelProto.graph.initializer[1]: a second initializer named 'w'");
    }

    @Test
    void refusesWhatItDoesNotSupport() {
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 1)
                        .message(13, ProtoBytes.message().string(1, "location").string(2, "weights.bin"))),
                "tensor 'w': keeps its data in an external file (external_data); external data is not supported");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 1).varint(14, 1)), "data_location EXTERNAL");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 1).message(3, ProtoBytes.message())),
                "segmented tensors are not supported");
        assertRefused(withInitializer(t -> t.string(8, "w").varint(2, 11).packedFloats(10, 1)), "double_data");
        assertRefused(ProtoBytes.message().message(7, ProtoBytes.message().message(15, ProtoBytes.message())).toBytes(),
                "ModelProto.graph: sparse_initializer: sparse initializers are not supported");
        assertRefused(withAttribute(a -> a.varint(20, 5).message(6, ProtoBytes.message())),
                "ModelProto.graph.node[0].attribute[0]: attribute 'a': field 6 (a subgraph, tensor list, sparse tensor or type) is not supported");
        assertRefused(withAttribute(a -> a.varint(20, 10)), "attribute 'a': type 10 (a subgraph");
        assertRefused(withAttribute(a -> a.string(21, "alpha")), "ref_attr_name");
        assertRefused(withAttribute(a -> a), "attribute 'a': no type, and no value");
        assertRefused(withAttribute(a -> a.fixed32(2, 1).varint(3, 1)), "attribute 'a': no type, and values of several kinds");
        assertRefused(withAttribute(a -> a.varint(20, 4)), "attribute 'a': of type TENSOR but has no tensor");
        assertRefused(ProtoBytes.message().message(7, ProtoBytes.message().message(1, ProtoBytes.message().string(3, "n")))
                .toBytes(), "ModelProto.graph.node[0]: the node has no op_type");
    }

    /** Every prefix of a valid model either is a valid model itself or is refused with an LsgException. */
    @Test
    void everyTruncationFailsCleanly() {
        byte[] whole = model(graph());
        int refused = 0;
        for (int n = 0; n < whole.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(whole, n);
            try {
                parse(prefix);
            } catch (LsgException expected) {
                refused++;
            } catch (RuntimeException e) {
                fail("prefix of " + n + " bytes: " + e, e);
            }
        }
        assertTrue(refused > whole.length * 9 / 10, refused + " of " + whole.length + " prefixes refused");
    }

    /** Random byte corruption never escapes as anything but an LsgException (no index errors, no huge allocations). */
    @Test
    void corruptedBytesFailCleanly() {
        byte[] whole = model(graph());
        Random random = new Random(20240601);
        for (int trial = 0; trial < 5000; trial++) {
            byte[] bytes = whole.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            try {
                OnnxGraph g = parse(bytes).graph();
                for (OnnxTensor t : g.initializers().values()) {
                    if (t.dataType() == OnnxDataType.FLOAT) {
                        assertEquals(t.elementCount(), t.floats().length);
                    } else if (t.dataType() == OnnxDataType.INT64 || t.dataType() == OnnxDataType.INT32) {
                        assertEquals(t.elementCount(), t.longs().length);
                    }
                }
            } catch (LsgException expected) {
                assertTrue(expected.getMessage().startsWith("test.onnx: ModelProto"), expected.getMessage());
            } catch (RuntimeException e) {
                fail("trial " + trial + ": " + e, e);
            }
        }
    }

    @Test
    void unknownTypeCodesAreNamedNotGuessed() {
        assertNull(OnnxDataType.fromCode(0));
        assertEquals(OnnxDataType.BFLOAT16, OnnxDataType.fromCode(16));
        assertNull(OnnxAttribute.Kind.fromCode(5));
    }
}
