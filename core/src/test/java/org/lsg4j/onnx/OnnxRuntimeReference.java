package org.lsg4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

/**
 * Ground truth for ONNX models: runs the original file with ONNX Runtime (Java API, CPU, one thread,
 * ONNX Runtime's default graph optimisations). Test scope only; lsg4j itself never runs ONNX Runtime.
 *
 * <pre>{@code
 * try (OnnxRuntimeReference ort = OnnxRuntimeReference.open(MiniLmFiles.onnx())) {
 *     FloatTensor expected = ort.lastHiddenState(inputIds, attentionMask, tokenTypeIds);   // [batch, length, 384]
 * }
 * }</pre>
 *
 * Not thread-safe; one session per instance.
 */
public final class OnnxRuntimeReference implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;

    private OnnxRuntimeReference(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
    }

    /** A session on the model file, with one intra-op and one inter-op thread. */
    public static OnnxRuntimeReference open(Path onnx) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            return new OnnxRuntimeReference(env, env.createSession(onnx.toString(), options));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot open " + onnx + ": " + e.getMessage(), e);
        }
    }

    /** The names of the model's inputs, in the model's order. */
    public Set<String> inputNames() {
        return session.getInputNames();
    }

    /**
     * {@code last_hidden_state} for one batch of [batch, length] int64 inputs.
     *
     * @param tokenTypeIds null for zeros (used only when the model has a {@code token_type_ids} input)
     * @return [batch, length, hidden]
     */
    public FloatTensor lastHiddenState(LongTensor inputIds, LongTensor attentionMask, LongTensor tokenTypeIds) {
        Map<String, LongTensor> inputs = new LinkedHashMap<>();
        inputs.put("input_ids", inputIds);
        inputs.put("attention_mask", attentionMask);
        if (inputNames().contains("token_type_ids")) {
            inputs.put("token_type_ids", tokenTypeIds != null ? tokenTypeIds
                    : new LongTensor(inputIds.shape().clone(), new long[inputIds.data().length]));
        }
        return run(inputs, "last_hidden_state");
    }

    /** Runs the model on int64 inputs given by name and returns one float output. */
    public FloatTensor run(Map<String, LongTensor> inputs, String output) {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, LongTensor> e : inputs.entrySet()) {
                LongTensor t = e.getValue();
                tensors.put(e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(t.data()), toLongs(t.shape())));
            }
            try (OrtSession.Result result = session.run(tensors, Set.of(output))) {
                OnnxValue value = result.get(output).orElseThrow(() -> new IllegalStateException("no output " + output));
                OnnxTensor tensor = (OnnxTensor) value;
                long[] shape = tensor.getInfo().getShape();
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] data = new float[buffer.remaining()];
                buffer.get(data);
                int[] dims = new int[shape.length];
                for (int i = 0; i < shape.length; i++) {
                    dims[i] = Math.toIntExact(shape[i]);
                }
                return new FloatTensor(dims, data);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private static long[] toLongs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
