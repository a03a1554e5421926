package org.lsg4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;

/**
 * The graph mapper on edited copies of the real all-MiniLM-L6-v2 graph: each edit changes one thing
 * the mapper reads (a prefix, the activation, a head split, a bias Add, an epsilon, a Gemm for a
 * MatMul), and the mapper either follows it or says precisely what it expected and found.
 */
class BertGraphMapperTest {
    private static final String FILE = "minilm.onnx";
    private static OnnxModel model;
    private static OnnxGraph graph;

    @BeforeAll
    static void open() {
        model = OnnxModel.open(MiniLmFiles.onnx());
        graph = model.graph();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static BertGraphMapper.Result map(OnnxGraph g) {
        return BertGraphMapper.map(g, FILE);
    }

    private static String refusal(OnnxGraph g) {
        return assertThrows(LsgException.class, () -> map(g)).getMessage();
    }

    /** The graph with each node passed through {@code edit} (return the node itself to keep it). */
    private static OnnxGraph editNodes(UnaryOperator<OnnxNode> edit) {
        return new OnnxGraph(graph.name(), graph.nodes().stream().map(edit).toList(), graph.initializers(),
                graph.inputs(), graph.outputs());
    }

    private static OnnxNode withOpType(OnnxNode n, String opType) {
        return new OnnxNode(n.index(), n.name(), opType, n.domain(), n.inputs(), n.outputs(), n.attributes());
    }

    private static OnnxNode withAttributes(OnnxNode n, String opType, OnnxAttribute... attributes) {
        Map<String, OnnxAttribute> map = new LinkedHashMap<>();
        for (OnnxAttribute a : attributes) {
            map.put(a.name(), a);
        }
        return new OnnxNode(n.index(), n.name(), opType, n.domain(), n.inputs(), n.outputs(), map);
    }

    private static OnnxAttribute tensorValue(OnnxTensor t) {
        return new OnnxAttribute("value", OnnxAttribute.Kind.TENSOR, t);
    }

    private static OnnxTensor int64(long... values) {
        return new OnnxTensor("test", "", OnnxDataType.INT64, new long[] {values.length}, values.length, null, null, values);
    }

    private static OnnxTensor float32(String name, long[] dims, float... values) {
        return new OnnxTensor("test", name, OnnxDataType.FLOAT, dims, values.length, null, values, null);
    }

    @Test
    void removesAPrefixFromEveryName() {
        UnaryOperator<String> prefixed = n -> graph.initializers().containsKey(n) && !n.startsWith("onnx::") ? "bert." + n : n;
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        graph.initializers().forEach((name, t) -> initializers.put(prefixed.apply(name), rename(t, prefixed.apply(name))));
        List<OnnxNode> nodes = graph.nodes().stream().map(n -> new OnnxNode(n.index(), n.name(), n.opType(), n.domain(),
                n.inputs().stream().map(prefixed).toList(), n.outputs(), n.attributes())).toList();
        BertGraphMapper.Result r = map(new OnnxGraph(graph.name(), nodes, initializers, graph.inputs(), graph.outputs()));
        assertEquals(101, r.stateDict().size());
        assertTrue(r.stateDict().containsKey("encoder.layer.0.attention.self.query.weight"), r.stateDict().keySet().toString());
        assertTrue(r.stateDict().containsKey("embeddings.word_embeddings.weight"));
        assertEquals("weights are named under 'bert.': the prefix is removed from every name", r.notes().get(0));
        assertEquals(new BertArchitecture(30522, 384, 6, 12, 1536, "gelu", 512, 2, 1e-12), r.architecture());
    }

    private static OnnxTensor rename(OnnxTensor t, String name) {
        return t.dataType() == OnnxDataType.FLOAT
                ? new OnnxTensor("test", name, t.dataType(), t.dims(), t.elementCount(), null, t.floats(), null)
                : new OnnxTensor("test", name, t.dataType(), t.dims(), t.elementCount(), null, null, t.longs());
    }

    @Test
    void refusesAnActivationOtherThanErfGelu() {
        OnnxGraph tanh = editNodes(n -> n.name().equals("/encoder/layer.2/intermediate/intermediate_act_fn/Erf")
                ? withOpType(n, "Tanh") : n);
        assertEquals(FILE + ": graph node '/encoder/layer.2/intermediate/intermediate_act_fn/Mul_1' (Mul): expected the erf"
                + " gelu 0.5 * x * (1 + erf(x / sqrt(2))) between encoder.layer.2.intermediate.dense and its output.dense,"
                + " found another expression, ending in Mul", refusal(tanh));
    }

    @Test
    void readsTheHeadCountFromTheReshapeAndRefusesDisagreement() {
        OnnxGraph sixHeads = editNodes(n -> switch (n.name()) {
            case "/encoder/layer.3/attention/self/Constant_10" -> withAttributes(n, "Constant", tensorValue(int64(6)));
            case "/encoder/layer.3/attention/self/Constant_11" -> withAttributes(n, "Constant", tensorValue(int64(64)));
            default -> n;
        });
        assertEquals(FILE + ": encoder.layer.3.attention.self.query is split into 6 heads, the layers before into 12",
                refusal(sixHeads));
        OnnxGraph wrongSize = editNodes(n -> n.name().equals("/encoder/layer.0/attention/self/Constant_3")
                ? withAttributes(n, "Constant", tensorValue(int64(16))) : n);
        assertEquals(FILE + ": encoder.layer.0.attention.self.key is reshaped into 12 heads of 16, expected heads x head"
                + " size = hidden size 384", refusal(wrongSize));
        OnnxGraph computed = editNodes(n -> n.name().equals("/encoder/layer.0/attention/self/Constant_10")
                ? withAttributes(n, "Shape") : n);
        assertEquals(FILE + ": graph node '/encoder/layer.0/attention/self/Reshape_2' (Reshape): expected a target shape"
                + " [batch, length, heads, head size] ending in two constants, found a Concat", refusal(computed));
    }

    @Test
    void refusesAMatMulWithoutItsBiasAdd() {
        OnnxGraph sub = editNodes(n -> n.name().equals("/encoder/layer.1/attention/self/key/Add") ? withOpType(n, "Sub") : n);
        assertEquals(FILE + ": graph node '/encoder/layer.1/attention/self/key/MatMul' (MatMul): expected its output to go to"
                + " one Add with a named bias initializer, found [Sub '/encoder/layer.1/attention/self/key/Add']", refusal(sub));
    }

    @Test
    void refusesLayerNormsThatDisagreeOnEpsilon() {
        OnnxGraph eps = editNodes(n -> n.name().equals("/encoder/layer.4/output/LayerNorm/Constant_1")
                ? withAttributes(n, "Constant", tensorValue(float32("", new long[0], 1e-5f))) : n);
        assertEquals(FILE + ": encoder.layer.4.output.LayerNorm adds epsilon 1.0E-5 to the variance, embeddings.LayerNorm"
                + " adds 1.0E-12; expected one layer_norm_eps", refusal(eps));
    }

    @Test
    void readsALayerNormalizationNodesEpsilon() {
        // the embeddings' layer norm as one LayerNormalization node (opset 17): its Mul by the weight becomes the node
        OnnxGraph withEps = editNodes(n -> n.name().equals("/embeddings/LayerNorm/Mul")
                ? withAttributes(n, "LayerNormalization", new OnnxAttribute("epsilon", OnnxAttribute.Kind.FLOAT, 1e-5f))
                : n);
        assertEquals(FILE + ": encoder.layer.0.attention.output.LayerNorm adds epsilon 1.0E-12 to the variance,"
                + " embeddings.LayerNorm adds 1.0E-5; expected one layer_norm_eps", refusal(withEps));
        OnnxGraph onnxDefault = editNodes(n -> n.name().equals("/embeddings/LayerNorm/Mul")
                ? withAttributes(n, "LayerNormalization") : n);
        assertTrue(refusal(onnxDefault).contains("embeddings.LayerNorm adds 1.0E-5"), "ONNX's default epsilon is 1e-5");
    }

    @Test
    void fallsBackToBertsDefaultEpsilonWithANote() {
        OnnxGraph noSqrt = editNodes(n -> n.opType().equals("Sqrt") ? withOpType(n, "Abs") : n);
        BertGraphMapper.Result r = map(noSqrt);
        assertEquals(1e-12, r.architecture().layerNormEps());
        assertTrue(r.notes().contains("no layer-norm epsilon found in the graph for embeddings.LayerNorm,"
                + " encoder.layer.0.attention.output.LayerNorm, encoder.layer.0.output.LayerNorm,"
                + " encoder.layer.1.attention.output.LayerNorm, encoder.layer.1.output.LayerNorm, ... (13 in all);"
                + " layer_norm_eps is BertConfig's default 1.0E-12"), r.notes().toString());
    }

    /** A linear layer exported as Gemm (transB = 1, weight named and already out x in) maps to the same weight. */
    @Test
    void readsAGemmLinearLayer() {
        OnnxTensor b = graph.initializers().get("onnx::MatMul_787");   // layer 0 query, [in, out]
        float[] in = b.floats();
        float[] pytorch = new float[in.length];
        for (int i = 0; i < 384; i++) {
            for (int o = 0; o < 384; o++) {
                pytorch[o * 384 + i] = in[i * 384 + o];
            }
        }
        String weight = "encoder.layer.0.attention.self.query.weight";
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>(graph.initializers());
        initializers.remove("onnx::MatMul_787");
        initializers.put(weight, float32(weight, new long[] {384, 384}, pytorch));
        List<OnnxNode> nodes = new ArrayList<>();
        for (OnnxNode n : graph.nodes()) {
            if (n.name().equals("/encoder/layer.0/attention/self/query/MatMul")) {
                nodes.add(new OnnxNode(n.index(), "gemm", "Gemm", "", List.of(n.inputs().get(0), weight,
                        "encoder.layer.0.attention.self.query.bias"), List.of("/encoder/layer.0/attention/self/query/Add_output_0"),
                        Map.of("transB", new OnnxAttribute("transB", OnnxAttribute.Kind.INT, 1L))));
            } else if (!n.name().equals("/encoder/layer.0/attention/self/query/Add")) {
                nodes.add(n);
            }
        }
        BertGraphMapper.Result r = map(new OnnxGraph(graph.name(), nodes, initializers, graph.inputs(), graph.outputs()));
        FloatTensor w = r.stateDict().get(weight);
        assertArrayEquals(new int[] {384, 384}, w.shape());
        assertArrayEquals(pytorch, w.data());
        assertEquals(12, r.architecture().numAttentionHeads(), "the head split is found after the Gemm too");
    }

    @Test
    void refusesInitializersThatAreNotBertWeights() {
        Map<String, OnnxTensor> extra = new LinkedHashMap<>(graph.initializers());
        extra.put("onnx::Foo_1", float32("onnx::Foo_1", new long[] {3}, 1, 2, 3));
        assertEquals(FILE + ": the weights are not those of a BertModel with 6 layers: not BertModel weights onnx::Foo_1",
                refusal(new OnnxGraph(graph.name(), graph.nodes(), extra, graph.inputs(), graph.outputs())));

        Map<String, OnnxTensor> missing = new LinkedHashMap<>(graph.initializers());
        missing.remove("encoder.layer.5.output.LayerNorm.bias");
        assertEquals(FILE + ": the weights are not those of a BertModel with 6 layers: missing"
                        + " encoder.layer.5.output.LayerNorm.bias",
                refusal(new OnnxGraph(graph.name(), graph.nodes(), missing, graph.inputs(), graph.outputs())));

        Map<String, OnnxTensor> positions = new LinkedHashMap<>(graph.initializers());
        long[] shifted = new long[512];
        for (int i = 0; i < 512; i++) {
            shifted[i] = i + 2;   // RoBERTa-style positions are not BERT's
        }
        positions.put("embeddings.position_ids", new OnnxTensor("test", "embeddings.position_ids", OnnxDataType.INT64,
                new long[] {1, 512}, 512, null, null, shifted));
        assertEquals("test 'embeddings.position_ids': expected the buffer embeddings.position_ids = [1, 512] 0..511,"
                        + " found embeddings.position_ids INT64[1, 512]",
                refusal(new OnnxGraph(graph.name(), graph.nodes(), positions, graph.inputs(), graph.outputs())));
    }

    @Test
    void refusesAGraphThatIsNotABertModel() {
        Map<String, OnnxTensor> none = new LinkedHashMap<>(graph.initializers());
        none.remove("embeddings.word_embeddings.weight");
        assertEquals(FILE + ": expected one initializer named [prefix.]embeddings.word_embeddings.weight (a BertModel"
                        + " export), found none among 101 initializers",
                refusal(new OnnxGraph(graph.name(), graph.nodes(), none, graph.inputs(), graph.outputs())));
    }
}
