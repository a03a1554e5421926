package org.lsg4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;

/**
 * Recovers a Hugging Face {@code BertModel} state dict and its config from the graph that
 * {@code torch.onnx.export} writes for a {@code BertModel}, by following the graph rather than
 * guessing from names or shapes.
 *
 * <ul>
 * <li>Named initializers keep their state-dict names; a prefix in front of all of them
 *     ({@code bert.}), found from the word embeddings, is removed from every name alike.</li>
 * <li>A linear layer {@code y = x W^T + b} is exported as {@code MatMul(x, B)} then {@code Add} with the
 *     named bias, where {@code B = W^T} (in x out) is an anonymous initializer ({@code onnx::MatMul_787}).
 *     B is named from the bias ({@code ...query.bias} gives {@code ...query.weight}) and transposed back to
 *     PyTorch's out x in. A {@code Gemm} (how a linear on a 2-D input is exported, e.g. the pooler) is
 *     read the same way, honouring {@code transB}.</li>
 * <li>{@code num_attention_heads} comes from the Reshape that splits each projection into
 *     {@code [batch, length, heads, head_size]}; {@code layer_norm_eps} from the constant each layer norm
 *     adds to the variance (or a {@code LayerNormalization} node's epsilon); {@code hidden_act} from the
 *     nodes between the intermediate and output layers, which must be the erf form of gelu.</li>
 * <li>The non-persistent buffers {@code embeddings.position_ids} and {@code embeddings.token_type_ids} are
 *     checked ({@code 0..n-1}, zeros) and left out, as {@code BertModel.state_dict()} leaves them out.</li>
 * </ul>
 *
 * Every initializer is either mapped or one of those buffers, and the result must hold exactly the
 * keys and shapes of a {@code BertModel} of the derived config (with or without the pooler); anything
 * else is an error naming the node or initializer, what was expected and what was found.
 */
final class BertGraphMapper {
    private static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";
    private static final String POSITION_IDS = "embeddings.position_ids";
    private static final String TOKEN_TYPE_IDS = "embeddings.token_type_ids";
    private static final Pattern LAYER_KEY = Pattern.compile("encoder\\.layer\\.(\\d+)\\..+");
    /** BertConfig's default layer_norm_eps, used (with a note) when the graph shows none. */
    static final double DEFAULT_LAYER_NORM_EPS = 1e-12;
    /** The ONNX default of LayerNormalization's epsilon attribute. */
    private static final float ONNX_LAYER_NORMALIZATION_EPS = 1e-5f;
    private static final int MAX_MUL_DEPTH = 8;

    /** What the mapper recovered: the config, the state dict in BertModel order, and notes for the user. */
    record Result(BertArchitecture architecture, Map<String, FloatTensor> stateDict, List<String> notes) {
    }

    /** The sizes the weights' shapes give. */
    private record Sizes(int vocab, int hidden, int layers, int intermediate, int positions, int tokenTypes) {
    }

    /** Where a state-dict entry comes from: an initializer, stored transposed (a MatMul's B) or as is. */
    private record Source(OnnxTensor tensor, boolean transpose) {
        int[] shape() {
            int[] s = tensor.shape();
            return transpose ? new int[] {s[1], s[0]} : s;
        }

        int dim(int i) {
            return shape()[i];
        }

        FloatTensor read() {
            float[] values = tensor.floats();
            return transpose ? BertGraphMapper.transpose(values, tensor.shape()[0], tensor.shape()[1])
                    : new FloatTensor(tensor.shape(), values);
        }
    }

    /** A linear layer found in the graph: the value it reads and the value its bias Add writes. */
    private record Linear(String input, String output, OnnxNode node) {
    }

    private final String file;
    private final OnnxGraph graph;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();
    private final Map<String, Linear> linears = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private String prefix;

    private BertGraphMapper(OnnxGraph graph, String file) {
        this.graph = graph;
        this.file = file;
    }

    /**
     * Maps the graph of a BertModel export.
     *
     * @param file the ONNX file, for messages
     * @throws LsgException when the graph is not one the mapper understands
     */
    static Result map(OnnxGraph graph, String file) {
        return new BertGraphMapper(graph, file).run();
    }

    private Result run() {
        for (OnnxNode node : graph.nodes()) {
            for (String out : node.outputs()) {
                producers.put(out, node);
            }
            for (String in : node.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
            }
        }
        prefix = findPrefix();
        Map<String, Source> weights = new HashMap<>();
        Set<String> used = new HashSet<>();
        for (OnnxNode node : graph.nodes()) {
            if ((node.opType().equals("MatMul") || node.opType().equals("Gemm")) && node.domain().isEmpty()
                    && node.inputs().size() >= 2 && initializer(node.inputs().get(1)) != null) {
                linear(node, weights, used);
            }
        }
        Map<String, OnnxTensor> buffers = new LinkedHashMap<>();
        for (OnnxTensor t : graph.initializers().values()) {
            if (used.contains(t.name())) {
                continue;
            }
            if (!t.name().startsWith(prefix)) {
                throw new LsgException(file + ": initializer '" + t.name() + "' " + t.dataType() + Arrays.toString(t.dims())
                        + ": expected a BertModel weight named '" + prefix + "...', or the B operand of a MatMul"
                        + " followed by an Add with a named bias; found neither");
            }
            String key = t.name().substring(prefix.length());
            if (key.equals(POSITION_IDS) || key.equals(TOKEN_TYPE_IDS)) {
                buffers.put(key, t);
                continue;
            }
            if (t.dataType() != OnnxDataType.FLOAT) {
                throw new LsgException(t.source() + ": data type " + t.dataType() + ", expected FLOAT for a weight");
            }
            put(weights, key, new Source(t, false));
        }
        Sizes sizes = sizes(weights);
        List<String> keys = bertKeys(weights, sizes);
        BertArchitecture architecture = new BertArchitecture(sizes.vocab(), sizes.hidden(), sizes.layers(),
                attentionHeads(sizes), sizes.intermediate(), hiddenAct(sizes.layers()), sizes.positions(),
                sizes.tokenTypes(), layerNormEps(sizes.layers()));
        buffers.forEach((key, t) -> checkBuffer(key, t, sizes.positions()));
        Map<String, FloatTensor> stateDict = new LinkedHashMap<>();
        for (String key : keys) {
            stateDict.put(key, weights.get(key).read());
        }
        return new Result(architecture, stateDict, List.copyOf(notes));
    }

    /** The prefix in front of every named weight: what comes before {@code embeddings.word_embeddings.weight}. */
    private String findPrefix() {
        List<String> found = graph.initializers().keySet().stream()
                .filter(n -> n.equals(WORD_EMBEDDINGS) || n.endsWith("." + WORD_EMBEDDINGS)).toList();
        if (found.size() != 1) {
            throw new LsgException(file + ": expected one initializer named [prefix.]" + WORD_EMBEDDINGS
                    + " (a BertModel export), found " + (found.isEmpty() ? "none among "
                    + graph.initializers().size() + " initializers" : found));
        }
        String p = found.get(0).substring(0, found.get(0).length() - WORD_EMBEDDINGS.length());
        if (!p.isEmpty()) {
            notes.add("weights are named under '" + p + "': the prefix is removed from every name");
        }
        return p;
    }

    /** Maps a MatMul or Gemm whose weight operand is an initializer to {@code module.weight} and {@code module.bias}. */
    private void linear(OnnxNode node, Map<String, Source> weights, Set<String> used) {
        OnnxTensor b = initializer(node.inputs().get(1));
        if (b.dims().length != 2 || b.dataType() != OnnxDataType.FLOAT) {
            throw nodeError(node, "a FLOAT matrix as weight operand '" + b.name() + "'", b.toString());
        }
        boolean transposed;   // whether B is already out x in
        OnnxTensor bias;
        String output;
        if (node.opType().equals("Gemm")) {
            checkGemmAttributes(node);
            transposed = intAttribute(node, "transB", 0) == 1;
            bias = node.inputs().size() == 3 ? initializer(node.inputs().get(2)) : null;
            if (bias == null) {
                throw nodeError(node, "a named bias initializer as third input", node.inputs());
            }
            output = node.outputs().get(0);
        } else {
            transposed = false;
            List<OnnxNode> next = consumers.getOrDefault(node.outputs().get(0), List.of());
            OnnxNode add = next.size() == 1 && next.get(0).opType().equals("Add") ? next.get(0) : null;
            bias = add == null ? null : otherInitializer(add, node.outputs().get(0));
            if (bias == null) {
                throw nodeError(node, "its output to go to one Add with a named bias initializer",
                        next.stream().map(n -> n.opType() + " '" + n.label() + "'").toList());
            }
            output = add.outputs().get(0);
        }
        String biasName = bias.name();
        if (!biasName.startsWith(prefix) || !biasName.endsWith(".bias")) {
            throw nodeError(node, "a bias named '" + prefix + "<module>.bias'", "'" + biasName + "'");
        }
        String module = biasName.substring(prefix.length(), biasName.length() - ".bias".length());
        long out = transposed ? b.dims()[0] : b.dims()[1];
        if (bias.dims().length != 1 || bias.dims()[0] != out || bias.dataType() != OnnxDataType.FLOAT) {
            throw nodeError(node, "bias '" + biasName + "' of FLOAT[" + out + "]", bias.toString());
        }
        if (b.name().startsWith(prefix) && !b.name().startsWith("onnx::") && !b.name().equals(prefix + module + ".weight")) {
            throw nodeError(node, "weight operand named '" + prefix + module + ".weight' (or anonymous)", "'" + b.name() + "'");
        }
        if (!used.add(b.name())) {
            throw nodeError(node, "weight '" + b.name() + "' used by one linear layer", "a second use");
        }
        used.add(biasName);
        if (linears.putIfAbsent(module, new Linear(node.inputs().get(0), output, node)) != null) {
            throw nodeError(node, "one linear layer for module " + module, "a second one");
        }
        put(weights, module + ".weight", new Source(b, !transposed));
        put(weights, module + ".bias", new Source(bias, false));
    }

    private void checkGemmAttributes(OnnxNode node) {
        if (floatAttribute(node, "alpha", 1f) != 1f || floatAttribute(node, "beta", 1f) != 1f
                || intAttribute(node, "transA", 0) != 0) {
            throw nodeError(node, "a Gemm with alpha 1, beta 1, transA 0 (a linear layer)", node.attributes().values());
        }
    }

    /** in x out (ONNX's B) to out x in (PyTorch's weight). */
    private static FloatTensor transpose(float[] b, int in, int out) {
        float[] w = new float[b.length];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                w[o * in + i] = b[i * out + o];
            }
        }
        return new FloatTensor(new int[] {out, in}, w);
    }

    private static void put(Map<String, Source> weights, String key, Source source) {
        if (weights.putIfAbsent(key, source) != null) {
            throw new LsgException(source.tensor().source() + ": a second tensor for " + key);
        }
    }

    /** vocab, hidden, positions, token types, layers and intermediate size, from the weights' shapes. */
    private Sizes sizes(Map<String, Source> weights) {
        Source word = require(weights, WORD_EMBEDDINGS, 2);
        Source position = require(weights, "embeddings.position_embeddings.weight", 2);
        Source tokenType = require(weights, "embeddings.token_type_embeddings.weight", 2);
        int layers = 0;
        for (String key : weights.keySet()) {
            Matcher m = LAYER_KEY.matcher(key);
            if (m.matches()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (layers == 0) {
            throw new LsgException(file + ": no encoder.layer.N weights: not a BertModel export");
        }
        Source intermediate = require(weights, "encoder.layer.0.intermediate.dense.weight", 2);
        return new Sizes(word.dim(0), word.dim(1), layers, intermediate.dim(0), position.dim(0), tokenType.dim(0));
    }

    private Source require(Map<String, Source> weights, String key, int rank) {
        Source s = weights.get(key);
        if (s == null || s.shape().length != rank) {
            throw new LsgException(file + ": expected a weight " + prefix + key + " of rank " + rank + ", found "
                    + (s == null ? "none" : Arrays.toString(s.shape())));
        }
        return s;
    }

    /** Checks the weights are exactly a BertModel's keys and shapes, and returns the keys in BertModel's order. */
    private List<String> bertKeys(Map<String, Source> weights, Sizes a) {
        int h = a.hidden();
        Map<String, int[]> expected = new LinkedHashMap<>();
        expected.put(WORD_EMBEDDINGS, new int[] {a.vocab(), h});
        expected.put("embeddings.position_embeddings.weight", new int[] {a.positions(), h});
        expected.put("embeddings.token_type_embeddings.weight", new int[] {a.tokenTypes(), h});
        layerNorm(expected, "embeddings.LayerNorm", h);
        for (int l = 0; l < a.layers(); l++) {
            String layer = "encoder.layer." + l + ".";
            linear(expected, layer + "attention.self.query", h, h);
            linear(expected, layer + "attention.self.key", h, h);
            linear(expected, layer + "attention.self.value", h, h);
            linear(expected, layer + "attention.output.dense", h, h);
            layerNorm(expected, layer + "attention.output.LayerNorm", h);
            linear(expected, layer + "intermediate.dense", h, a.intermediate());
            linear(expected, layer + "output.dense", a.intermediate(), h);
            layerNorm(expected, layer + "output.LayerNorm", h);
        }
        if (weights.containsKey("pooler.dense.weight") || weights.containsKey("pooler.dense.bias")) {
            linear(expected, "pooler.dense", h, h);
        } else {
            notes.add("the graph has no pooler (pooler.dense): the checkpoint has none, so pooler_output is not available");
        }
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(weights.keySet());
        Set<String> unexpected = new TreeSet<>(weights.keySet());
        unexpected.removeAll(expected.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new LsgException(file + ": the weights are not those of a BertModel with " + a.layers()
                    + " layers: " + (missing.isEmpty() ? "" : "missing " + first(missing))
                    + (missing.isEmpty() || unexpected.isEmpty() ? "" : "; ")
                    + (unexpected.isEmpty() ? "" : "not BertModel weights " + first(unexpected)));
        }
        expected.forEach((key, shape) -> {
            Source s = weights.get(key);
            if (!Arrays.equals(s.shape(), shape)) {
                throw new LsgException(s.tensor().source() + ": as " + key + " it has shape " + Arrays.toString(s.shape())
                        + (s.transpose() ? " (transposed to BertModel's out x in)" : "") + ", expected "
                        + Arrays.toString(shape));
            }
        });
        return List.copyOf(expected.keySet());
    }

    private static void linear(Map<String, int[]> expected, String module, int in, int out) {
        expected.put(module + ".weight", new int[] {out, in});
        expected.put(module + ".bias", new int[] {out});
    }

    private static void layerNorm(Map<String, int[]> expected, String module, int h) {
        expected.put(module + ".weight", new int[] {h});
        expected.put(module + ".bias", new int[] {h});
    }

    private static String first(Set<String> keys) {
        List<String> list = new ArrayList<>(keys);
        return String.join(", ", list.subList(0, Math.min(5, list.size())))
                + (list.size() > 5 ? ", ... (" + list.size() + " in all)" : "");
    }

    /** The head count: from the Reshape of every query, key and value projection, which must all agree. */
    private int attentionHeads(Sizes a) {
        int heads = 0;
        for (int l = 0; l < a.layers(); l++) {
            for (String projection : List.of("query", "key", "value")) {
                String module = "encoder.layer." + l + ".attention.self." + projection;
                long[] split = headSplit(linearOf(module), module);
                if (split[0] < 1 || split[1] < 1 || split[0] * split[1] != a.hidden()) {
                    throw new LsgException(file + ": " + module + " is reshaped into " + split[0] + " heads of "
                            + split[1] + ", expected heads x head size = hidden size " + a.hidden());
                }
                if (heads != 0 && split[0] != heads) {
                    throw new LsgException(file + ": " + module + " is split into " + split[0]
                            + " heads, the layers before into " + heads);
                }
                heads = (int) split[0];
            }
        }
        return heads;
    }

    /** {heads, head size}: the last two entries of the shape the projection's output is reshaped to. */
    private long[] headSplit(Linear linear, String module) {
        List<OnnxNode> reshapes = consumers.getOrDefault(linear.output(), List.of()).stream()
                .filter(n -> n.opType().equals("Reshape") && n.inputs().get(0).equals(linear.output())).toList();
        if (reshapes.size() != 1) {
            throw nodeError(linear.node(), "the output of " + module + " to be reshaped into heads by one Reshape",
                    reshapes.size() + " Reshape nodes");
        }
        OnnxNode reshape = reshapes.get(0);
        String shape = reshape.inputs().get(1);
        long[] constant = longConstant(shape);
        if (constant != null && constant.length == 4) {
            return new long[] {constant[2], constant[3]};
        }
        OnnxNode concat = producers.get(shape);
        if (constant == null && concat != null && concat.opType().equals("Concat") && concat.inputs().size() == 4) {
            long[] heads = longConstant(concat.inputs().get(2));
            long[] size = longConstant(concat.inputs().get(3));
            if (heads != null && heads.length == 1 && size != null && size.length == 1) {
                return new long[] {heads[0], size[0]};
            }
        }
        throw nodeError(reshape, "a target shape [batch, length, heads, head size] ending in two constants",
                constant != null ? Arrays.toString(constant) : concat == null ? "a graph input" : "a " + concat.opType());
    }

    private Linear linearOf(String module) {
        Linear linear = linears.get(module);
        if (linear == null) {
            throw new LsgException(file + ": " + prefix + module + ".weight is not the weight of a MatMul"
                    + " followed by its bias Add (or of a Gemm): the graph's structure is not understood");
        }
        return linear;
    }

    /** hidden_act: every layer's activation must be the erf form of gelu. */
    private String hiddenAct(int layers) {
        for (int l = 0; l < layers; l++) {
            Linear up = linearOf("encoder.layer." + l + ".intermediate.dense");
            Linear down = linearOf("encoder.layer." + l + ".output.dense");
            if (!isErfGelu(down.input(), up.output())) {
                OnnxNode last = producers.get(down.input());
                throw nodeError(last == null ? down.node() : last, "the erf gelu 0.5 * x * (1 + erf(x / sqrt(2))) between "
                        + "encoder.layer." + l + ".intermediate.dense and its output.dense",
                        last == null ? "a graph input" : "another expression, ending in " + last.opType());
            }
        }
        return "gelu";
    }

    /** Whether {@code y} is {@code 0.5 * x * (1 + erf(x / sqrt(2)))}, the products in any order. */
    private boolean isErfGelu(String y, String x) {
        List<String> factors = new ArrayList<>();
        factors(y, factors, 0);
        if (factors.size() != 3 || !factors.remove(x)) {
            return false;
        }
        int half = isConstant(factors.get(0), 0.5, 0) ? 0 : isConstant(factors.get(1), 0.5, 0) ? 1 : -1;
        return half >= 0 && isOnePlusErf(factors.get(1 - half), x);
    }

    /** The factors of a product of Mul nodes (a value not made by a Mul is one factor). */
    private void factors(String value, List<String> out, int depth) {
        OnnxNode p = producers.get(value);
        if (p != null && p.opType().equals("Mul") && p.inputs().size() == 2 && depth < MAX_MUL_DEPTH) {
            factors(p.inputs().get(0), out, depth + 1);
            factors(p.inputs().get(1), out, depth + 1);
        } else {
            out.add(value);
        }
    }

    /** Whether {@code value} is {@code 1 + erf(x / sqrt(2))} (or {@code erf(x * (1 / sqrt(2)))}). */
    private boolean isOnePlusErf(String value, String x) {
        OnnxNode add = producers.get(value);
        if (add == null || !add.opType().equals("Add") || add.inputs().size() != 2) {
            return false;
        }
        int one = isConstant(add.inputs().get(0), 1, 0) ? 0 : isConstant(add.inputs().get(1), 1, 0) ? 1 : -1;
        OnnxNode erf = one < 0 ? null : producers.get(add.inputs().get(1 - one));
        if (erf == null || !erf.opType().equals("Erf")) {
            return false;
        }
        OnnxNode scale = producers.get(erf.inputs().get(0));
        if (scale == null || scale.inputs().size() != 2 || !scale.inputs().get(0).equals(x)) {
            return false;
        }
        return scale.opType().equals("Div") && isConstant(scale.inputs().get(1), Math.sqrt(2), 1e-6)
                || scale.opType().equals("Mul") && isConstant(scale.inputs().get(1), Math.sqrt(0.5), 1e-6);
    }

    private boolean isConstant(String value, double expected, double tolerance) {
        Float f = floatConstant(value);
        return f != null && Math.abs(f - expected) <= tolerance;
    }

    /**
     * layer_norm_eps: the epsilon of every layer norm, which must agree. A layer norm whose epsilon the
     * graph does not show is noted, and BertConfig's default is used when none shows one.
     */
    private double layerNormEps(int layers) {
        List<String> modules = new ArrayList<>();
        modules.add("embeddings.LayerNorm");
        for (int l = 0; l < layers; l++) {
            modules.add("encoder.layer." + l + ".attention.output.LayerNorm");
            modules.add("encoder.layer." + l + ".output.LayerNorm");
        }
        Float eps = null;
        String first = null;
        List<String> unknown = new ArrayList<>();
        for (String module : modules) {
            Float e = layerNormEps(prefix + module + ".weight");
            if (e == null) {
                unknown.add(module);
            } else if (eps == null) {
                eps = e;
                first = module;
            } else if (!eps.equals(e)) {
                throw new LsgException(file + ": " + module + " adds epsilon " + e + " to the variance, " + first
                        + " adds " + eps + "; expected one layer_norm_eps");
            }
        }
        if (!unknown.isEmpty()) {
            notes.add("no layer-norm epsilon found in the graph for " + first(new LinkedHashSet<>(unknown))
                    + (eps == null ? "; layer_norm_eps is BertConfig's default " + DEFAULT_LAYER_NORM_EPS : ""));
        }
        // The graph holds float32; the config holds the shortest decimal that rounds to it (1e-12, not 9.99999996e-13).
        return eps == null ? DEFAULT_LAYER_NORM_EPS : Double.parseDouble(Float.toString(eps));
    }

    /**
     * The epsilon of the layer norm whose weight is {@code weight}: a LayerNormalization node's attribute, or
     * the constant in {@code (x - mean) / sqrt(mean((x - mean)^2) + eps) * weight}; null when neither shows.
     */
    private Float layerNormEps(String weight) {
        for (OnnxNode c : consumers.getOrDefault(weight, List.of())) {
            if (c.opType().equals("LayerNormalization") && c.inputs().size() >= 2 && c.inputs().get(1).equals(weight)) {
                return floatAttribute(c, "epsilon", ONNX_LAYER_NORMALIZATION_EPS);
            }
            if (!c.opType().equals("Mul") || c.inputs().size() != 2) {
                continue;
            }
            OnnxNode div = producers.get(c.inputs().get(c.inputs().get(0).equals(weight) ? 1 : 0));
            OnnxNode sqrt = div != null && div.opType().equals("Div") ? producers.get(div.inputs().get(1)) : null;
            OnnxNode add = sqrt != null && sqrt.opType().equals("Sqrt") ? producers.get(sqrt.inputs().get(0)) : null;
            if (add == null || !add.opType().equals("Add") || add.inputs().size() != 2) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                Float eps = floatConstant(add.inputs().get(side));
                OnnxNode mean = producers.get(add.inputs().get(1 - side));
                OnnxNode pow = mean != null && mean.opType().equals("ReduceMean") ? producers.get(mean.inputs().get(0)) : null;
                if (eps != null && pow != null && pow.opType().equals("Pow") && isConstant(pow.inputs().get(1), 2, 0)) {
                    return eps;
                }
            }
        }
        return null;
    }

    /** Checks a non-persistent buffer holds what BertEmbeddings fills it with; it is not written. */
    private void checkBuffer(String key, OnnxTensor t, int positions) {
        long[] values = t.dataType() == OnnxDataType.INT64 || t.dataType() == OnnxDataType.INT32 ? t.longs() : null;
        boolean ok = values != null && Arrays.equals(t.dims(), new long[] {1, positions});
        for (int i = 0; ok && i < positions; i++) {
            ok = values[i] == (key.equals(POSITION_IDS) ? i : 0);
        }
        String what = key.equals(POSITION_IDS) ? "0.." + (positions - 1) : "zeros";
        if (!ok) {
            throw new LsgException(t.source() + ": expected the buffer " + key + " = [1, " + positions + "] " + what
                    + ", found " + t);
        }
        notes.add(key + ": the buffer [1, " + positions + "] " + what + ", not written (BertModel.state_dict() leaves it out)");
    }

    // ---- small graph queries ----

    private OnnxTensor initializer(String name) {
        return graph.initializers().get(name);
    }

    /** The initializer among an Add's inputs other than {@code value}, or null. */
    private OnnxTensor otherInitializer(OnnxNode add, String value) {
        if (add.inputs().size() != 2) {
            return null;
        }
        String a = add.inputs().get(0);
        String b = add.inputs().get(1);
        return a.equals(value) ? initializer(b) : b.equals(value) ? initializer(a) : null;
    }

    /** The integer values of a constant (an initializer or a Constant node), or null when not a constant. */
    private long[] longConstant(String value) {
        OnnxTensor t = constantTensor(value);
        if (t != null) {
            return t.dataType() == OnnxDataType.INT64 || t.dataType() == OnnxDataType.INT32 ? t.longs() : null;
        }
        OnnxNode c = producers.get(value);
        OnnxAttribute ints = c != null && c.opType().equals("Constant") ? c.attribute("value_ints") : null;
        return ints != null && ints.kind() == OnnxAttribute.Kind.INTS ? (long[]) ints.value() : null;
    }

    /** The value of a one-element FLOAT constant (an initializer or a Constant node), or null. */
    private Float floatConstant(String value) {
        OnnxTensor t = constantTensor(value);
        if (t != null) {
            return t.dataType() == OnnxDataType.FLOAT && t.elementCount() == 1 ? t.floats()[0] : null;
        }
        OnnxNode c = producers.get(value);
        OnnxAttribute f = c != null && c.opType().equals("Constant") ? c.attribute("value_float") : null;
        return f != null && f.kind() == OnnxAttribute.Kind.FLOAT ? (Float) f.value() : null;
    }

    private OnnxTensor constantTensor(String value) {
        OnnxTensor t = initializer(value);
        if (t != null) {
            return t;
        }
        OnnxNode c = producers.get(value);
        OnnxAttribute a = c != null && c.opType().equals("Constant") ? c.attribute("value") : null;
        return a != null && a.kind() == OnnxAttribute.Kind.TENSOR ? (OnnxTensor) a.value() : null;
    }

    private long intAttribute(OnnxNode node, String name, long otherwise) {
        OnnxAttribute a = node.attribute(name);
        if (a == null) {
            return otherwise;
        }
        if (a.kind() != OnnxAttribute.Kind.INT) {
            throw nodeError(node, "attribute " + name + " of kind INT", a.kind());
        }
        return (Long) a.value();
    }

    private float floatAttribute(OnnxNode node, String name, float otherwise) {
        OnnxAttribute a = node.attribute(name);
        if (a == null) {
            return otherwise;
        }
        if (a.kind() != OnnxAttribute.Kind.FLOAT) {
            throw nodeError(node, "attribute " + name + " of kind FLOAT", a.kind());
        }
        return (Float) a.value();
    }

    private LsgException nodeError(OnnxNode node, String expected, Object found) {
        return new LsgException(file + ": graph node '" + node.label() + "' (" + node.opType() + "): expected "
                + expected + ", found " + found);
    }
}
