package org.lsg4j.server;

import org.lsg4j.model.Head;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.SparseSources;
import org.lsg4j.pipelines.Answer;
import org.lsg4j.pipelines.Classification;
import org.lsg4j.pipelines.Embedding;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.Entity;
import org.lsg4j.pipelines.FillMaskOptions;
import org.lsg4j.pipelines.FillMaskPipeline;
import org.lsg4j.pipelines.FillMaskResult;
import org.lsg4j.pipelines.Pooling;
import org.lsg4j.pipelines.QuestionAnsweringOptions;
import org.lsg4j.pipelines.QuestionAnsweringPipeline;
import org.lsg4j.pipelines.QuestionContext;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.pipelines.TextClassificationOptions;
import org.lsg4j.pipelines.TextClassificationPipeline;
import org.lsg4j.pipelines.TokenClassificationOptions;
import org.lsg4j.pipelines.TokenClassificationPipeline;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The batch kinds: what one batch of inputs runs, each through the lsg4j pipeline that the CLI
 * runs too, with the batch as the pipeline's batch. Inputs share a batch when their kinds are equal:
 * same model, same options (the records compare by value).
 */
final class Kinds {
    private Kinds() {
    }

    /** Pooled sentence embeddings, not normalised (requests normalise their own). */
    record Embed(ServedModel model, Pooling pooling) implements Batcher.Kind<Encoding, float[]> {
        @Override
        public List<float[]> run(List<Encoding> inputs) {
            EmbeddingOptions options = EmbeddingOptions.defaults().withPooling(pooling).withNormalize(false)
                    .withBatchSize(inputs.size());
            return new EmbeddingPipeline(model.model(), model.log()).embed(inputs, options).stream()
                    .map(Embedding::vector).toList();
        }
    }

    /** Every token's output vector (last_hidden_state rows), special tokens included. */
    record AllTokens(ServedModel model) implements Batcher.Kind<Encoding, float[][]> {
        @Override
        public List<float[][]> run(List<Encoding> inputs) {
            TaskModel encoder = model.model();
            float[] hidden = encoder.runEncoder(encoder.inputs(inputs)).get("last_hidden_state").data();
            int t = TaskModel.paddedLength(inputs);
            int d = encoder.model().config().hiddenSize();
            List<float[][]> out = new ArrayList<>(inputs.size());
            for (int r = 0; r < inputs.size(); r++) {
                float[][] rows = new float[inputs.get(r).length()][];
                for (int p = 0; p < rows.length; p++) {
                    int at = (r * t + p) * d;
                    rows[p] = Arrays.copyOfRange(hidden, at, at + d);
                }
                out.add(rows);
            }
            return out;
        }
    }

    /** The text-classification pipeline. */
    record Classify(ServedModel model, TextClassificationOptions options)
            implements Batcher.Kind<TextInput, Classification> {
        @Override
        public List<Classification> run(List<TextInput> inputs) {
            return new TextClassificationPipeline(model.model(), model.log())
                    .runEach(inputs, options.withBatchSize(inputs.size()));
        }
    }

    /**
     * The fill-mask pipeline. The masked-LM head makes vocabulary logits for every position (4 x
     * 50265 bytes a token for RoBERTa, 824 MB for 4096 tokens), so a batch holds at most one
     * model length of tokens whatever the server's budget.
     */
    record FillMask(ServedModel model, FillMaskOptions options) implements Batcher.Kind<String, FillMaskResult> {
        @Override
        public List<FillMaskResult> run(List<String> inputs) {
            return new FillMaskPipeline(model.model(), model.log()).configure(options.withBatchSize(inputs.size()))
                    .run(inputs);
        }

        @Override
        public int tokenBudget(int serverBudget) {
            return Math.min(serverBudget, model.model().maxTokens());
        }
    }

    /** The token-classification pipeline. */
    record TokenClassify(ServedModel model, TokenClassificationOptions options)
            implements Batcher.Kind<String, List<Entity>> {
        @Override
        public List<List<Entity>> run(List<String> inputs) {
            return new TokenClassificationPipeline(model.model()).run(inputs, options, inputs.size());
        }
    }

    /** The question-answering pipeline. */
    record Qa(ServedModel model, QuestionAnsweringOptions options)
            implements Batcher.Kind<QuestionContext, List<Answer>> {
        @Override
        public List<List<Answer>> run(List<QuestionContext> inputs) {
            return new QuestionAnsweringPipeline(model.model()).run(inputs, options, inputs.size());
        }
    }

    /** One layer and head's sparse selection on one document (each input runs alone). */
    record Attention(ServedModel model, int layer, int head) implements Batcher.Kind<Encoding, SparseSources> {
        @Override
        public List<SparseSources> run(List<Encoding> inputs) {
            List<SparseSources> out = new ArrayList<>(inputs.size());
            for (Encoding e : inputs) {
                long[] ids = new long[e.length()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = e.id(i);
                }
                int[] shape = model.head() == Head.MULTIPLE_CHOICE ? new int[]{1, 1, ids.length} : new int[]{1, ids.length};
                ModelInputs in = ModelInputs.of(new LongTensor(shape, ids));
                out.add(model.model().model().sparseSources(in, layer, head, model.workers()));
            }
            return out;
        }
    }
}
