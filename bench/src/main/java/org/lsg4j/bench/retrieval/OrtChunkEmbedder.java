package org.lsg4j.bench.retrieval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.lsg4j.tokenizer.Encoding;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chunked baseline on ONNX Runtime (Java API, CPU): all-MiniLM-L6-v2's ONNX file from the Maven
 * artifact, the chunks of one document run as one padded batch, each chunk mean-pooled over its mask and
 * normalised, as sentence-transformers does. ONNX Runtime's default graph optimisations, {@code threads}
 * intra-op threads, one inter-op thread. Not thread-safe.
 */
final class OrtChunkEmbedder implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtChunkEmbedder(Path onnx, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            session = env.createSession(onnx.toString(), options);
        }
    }

    /** One unit vector per chunk. */
    List<float[]> embed(List<Encoding> chunks) throws OrtException {
        int n = chunks.size();
        int t = chunks.stream().mapToInt(Encoding::length).max().orElseThrow();
        long[] ids = new long[n * t];
        long[] mask = new long[n * t];
        for (int r = 0; r < n; r++) {
            Encoding e = chunks.get(r);
            for (int i = 0; i < e.length(); i++) {
                ids[r * t + i] = e.id(i);
                mask[r * t + i] = e.attentionMask()[i];
            }
        }
        long[] shape = {n, t};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor attention = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * t]), shape);
             OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", attention,
                     "token_type_ids", types), Set.of("last_hidden_state"))) {
            FloatBuffer hidden = ((OnnxTensor) result.get("last_hidden_state").orElseThrow()).getFloatBuffer();
            int d = hidden.remaining() / (n * t);
            List<float[]> out = new ArrayList<>(n);
            for (int r = 0; r < n; r++) {
                double[] sum = new double[d];
                int count = 0;
                for (int p = 0; p < t; p++) {
                    if (mask[r * t + p] == 1) {
                        count++;
                        for (int j = 0; j < d; j++) {
                            sum[j] += hidden.get((r * t + p) * d + j);
                        }
                    }
                }
                float[] v = new float[d];
                for (int j = 0; j < d; j++) {
                    v[j] = (float) (sum[j] / count);
                }
                out.add(Vectors.normalized(v));
            }
            return out;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
