package org.lsg4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.kernels.Activations;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

/**
 * A test oracle: Hugging Face's BertModel forward (eager attention, absolute positions, erf gelu,
 * additive mask of float32's lowest value) written as plain loops in double precision over a checkpoint
 * folder's config.json and model.safetensors. It exists to check an imported checkpoint against ONNX
 * Runtime on the original graph: if names, transposes or config values were wrong, the two would
 * disagree. It is slow and simple on purpose; lsg4j's own BERT forward is tested against ONNX Runtime
 * separately.
 */
final class NaiveBert {
    private final int hidden;
    private final int heads;
    private final int intermediate;
    private final int layers;
    private final double eps;
    private final Map<String, float[]> w = new HashMap<>();
    /** Each linear layer's W^T [in, out] in double, made on first use (the weights stay as stored in {@link #w}). */
    private final Map<String, double[]> transposed = new ConcurrentHashMap<>();

    NaiveBert(Path folder) {
        JsonNode config;
        try {
            config = new JsonMapper().readTree(folder.resolve("config.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hidden = config.get("hidden_size").asInt();
        heads = config.get("num_attention_heads").asInt();
        intermediate = config.get("intermediate_size").asInt();
        layers = config.get("num_hidden_layers").asInt();
        eps = config.get("layer_norm_eps").asDouble();
        try (SafeTensors st = SafeTensors.open(folder.resolve("model.safetensors"))) {
            for (String name : st.names()) {
                w.put(name, st.floats(name).data());
            }
        }
    }

    /** last_hidden_state [batch, length, hidden] for [batch, length] inputs. */
    FloatTensor lastHiddenState(LongTensor ids, LongTensor mask, LongTensor types) {
        int batch = ids.dim(0);
        int t = ids.dim(1);
        float[] out = new float[batch * t * hidden];
        for (int b = 0; b < batch; b++) {
            double[] x = sequence(ids.data(), mask.data(), types.data(), b * t, t);
            for (int i = 0; i < t * hidden; i++) {
                out[b * t * hidden + i] = (float) x[i];
            }
        }
        return new FloatTensor(new int[] {batch, t, hidden}, out);
    }

    private double[] sequence(long[] ids, long[] mask, long[] types, int first, int t) {
        int h = hidden;
        double[] x = new double[t * h];
        float[] word = w.get("embeddings.word_embeddings.weight");
        float[] pos = w.get("embeddings.position_embeddings.weight");
        float[] type = w.get("embeddings.token_type_embeddings.weight");
        for (int p = 0; p < t; p++) {
            int id = (int) ids[first + p];
            int tt = (int) types[first + p];
            for (int j = 0; j < h; j++) {
                x[p * h + j] = (double) word[id * h + j] + pos[p * h + j] + type[tt * h + j];
            }
        }
        layerNorm(x, t, "embeddings.LayerNorm");
        double[] keyBias = new double[t];   // BERT's extended mask: (1 - mask) * float32 lowest
        for (int p = 0; p < t; p++) {
            keyBias[p] = mask[first + p] == 1 ? 0 : -Float.MAX_VALUE;
        }
        for (int l = 0; l < layers; l++) {
            String layer = "encoder.layer." + l + ".";
            double[] q = linear(x, t, h, h, layer + "attention.self.query");
            double[] k = linear(x, t, h, h, layer + "attention.self.key");
            double[] v = linear(x, t, h, h, layer + "attention.self.value");
            double[] context = attention(q, k, v, keyBias, t);
            double[] a = linear(context, t, h, h, layer + "attention.output.dense");
            add(a, x);
            layerNorm(a, t, layer + "attention.output.LayerNorm");
            double[] up = linear(a, t, h, intermediate, layer + "intermediate.dense");
            for (int i = 0; i < up.length; i++) {
                up[i] = 0.5 * up[i] * (1 + Activations.erf(up[i] / Math.sqrt(2)));
            }
            double[] down = linear(up, t, intermediate, h, layer + "output.dense");
            add(down, a);
            layerNorm(down, t, layer + "output.LayerNorm");
            x = down;
        }
        return x;
    }

    /** y[t, out] = x[t, in] W[out, in]^T + b[out]. */
    private double[] linear(double[] x, int t, int in, int out, String module) {
        double[] wt = transposed.computeIfAbsent(module, m -> {
            float[] weight = w.get(m + ".weight");   // [out, in] as PyTorch stores it
            double[] result = new double[in * out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    result[i * out + o] = weight[o * in + i];
                }
            }
            return result;
        });
        float[] bias = w.get(module + ".bias");
        double[] y = new double[t * out];
        for (int p = 0; p < t; p++) {
            int row = p * out;
            for (int o = 0; o < out; o++) {
                y[row + o] = bias[o];
            }
            for (int i = 0; i < in; i++) {   // row p += x[p, i] * W^T[i, :], a contiguous loop the JIT vectorises
                double xi = x[p * in + i];
                int base = i * out;
                for (int o = 0; o < out; o++) {
                    y[row + o] += xi * wt[base + o];
                }
            }
        }
        return y;
    }

    private double[] attention(double[] q, double[] k, double[] v, double[] keyBias, int t) {
        int d = hidden / heads;
        double scale = 1 / Math.sqrt(d);
        double[] context = new double[t * hidden];
        double[] scores = new double[t];
        for (int head = 0; head < heads; head++) {
            int off = head * d;
            for (int i = 0; i < t; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) {
                        s += q[i * hidden + off + c] * k[j * hidden + off + c];
                    }
                    scores[j] = s * scale + keyBias[j];
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j < t; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int j = 0; j < t; j++) {
                    double p = scores[j] / sum;
                    for (int c = 0; c < d; c++) {
                        context[i * hidden + off + c] += p * v[j * hidden + off + c];
                    }
                }
            }
        }
        return context;
    }

    private void layerNorm(double[] x, int t, String module) {
        float[] gamma = w.get(module + ".weight");
        float[] beta = w.get(module + ".bias");
        for (int p = 0; p < t; p++) {
            double mean = 0;
            for (int j = 0; j < hidden; j++) {
                mean += x[p * hidden + j];
            }
            mean /= hidden;
            double var = 0;
            for (int j = 0; j < hidden; j++) {
                double c = x[p * hidden + j] - mean;
                var += c * c;
            }
            double inv = 1 / Math.sqrt(var / hidden + eps);
            for (int j = 0; j < hidden; j++) {
                x[p * hidden + j] = (x[p * hidden + j] - mean) * inv * gamma[j] + beta[j];
            }
        }
    }

    private static void add(double[] into, double[] residual) {
        for (int i = 0; i < into.length; i++) {
            into[i] += residual[i];
        }
    }
}
