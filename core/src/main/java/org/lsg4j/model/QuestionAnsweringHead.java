package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.Workers;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;

import java.util.Map;

/**
 * {@code qa_outputs}: a linear layer d -> 2 per token, column 0 the start logits and column 1 the
 * end logits. Loss: positions clamped to [0, t], cross-entropy ignoring t for each end, mean of the two.
 */
final class QuestionAnsweringHead implements TaskHead {
    private final Linear qaOutputs;

    QuestionAnsweringHead(WeightReader w, LsgConfig c) {
        if (c.numLabels() != 2) {
            throw new LsgException("config.json: question answering needs 2 labels (start, end), id2label has "
                    + c.numLabels());
        }
        this.qaOutputs = Linear.load(w, "qa_outputs", c.hiddenSize(), 2);
    }

    @Override
    public void forward(LsgRobertaModel.Encoded e, ModelInputs in, Workers workers, Map<String, FloatTensor> out) {
        int n = e.n();
        int t = e.t();
        float[] logits = qaOutputs.forward(workers, e.lastHiddenState(), n * t);
        float[] start = new float[n * t];
        float[] end = new float[n * t];
        for (int i = 0; i < n * t; i++) {
            start[i] = logits[2 * i];
            end[i] = logits[2 * i + 1];
        }
        out.put("start_logits", new FloatTensor(new int[]{n, t}, start));
        out.put("end_logits", new FloatTensor(new int[]{n, t}, end));
        if (in.startPositions() != null && in.endPositions() != null) {
            float startLoss = Losses.crossEntropy(start, n, t, clamped(in.startPositions(), n, t, "start_positions"), t, "start_positions");
            float endLoss = Losses.crossEntropy(end, n, t, clamped(in.endPositions(), n, t, "end_positions"), t, "end_positions");
            out.put("loss", MaskedLmHead.scalar((startLoss + endLoss) / 2));
        }
    }

    private static long[] clamped(LongTensor positions, int n, int t, String name) {
        if (positions.data().length != n) {
            throw new LsgException(name + ": expected " + n + " positions, found shape " + positions.shapeString());
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.min(Math.max(positions.data()[i], 0), t);
        }
        return out;
    }
}
