package org.lsg4j.pipelines;

import org.lsg4j.model.Head;
import org.lsg4j.model.LsgModel;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.RobertaTokenizer;

import java.nio.file.Path;
import java.util.List;

/**
 * A model and its tokenizer, loaded from one folder: what every pipeline runs. Immutable and
 * safe to share between threads.
 */
public record TaskModel(LsgModel model, RobertaTokenizer tokenizer) {

    /** Loads the model (with the given head) and the tokenizer from a model folder. */
    public static TaskModel load(Path dir, Head head) {
        return new TaskModel(LsgModel.load(dir, head), RobertaTokenizer.load(dir));
    }

    /**
     * Runs encodings of the same length (already padded) as one batch.
     *
     */
    public ModelOutputs run(List<Encoding> batch) {
        int n = batch.size();
        int t = batch.get(0).length();
        long[] ids = new long[n * t];
        long[] mask = new long[n * t];
        for (int r = 0; r < n; r++) {
            Encoding e = batch.get(r);
            if (e.length() != t) {
                throw new IllegalArgumentException("encodings of one batch must have one length: " + e.length() + " vs " + t);
            }
            int[] m = e.attentionMask();
            for (int i = 0; i < t; i++) {
                ids[r * t + i] = e.id(i);
                mask[r * t + i] = m[i];
            }
        }
        int[] shape = {n, t};
        return model.forward(ModelInputs.of(new LongTensor(shape, ids)).withAttentionMask(new LongTensor(shape, mask)));
    }
}
