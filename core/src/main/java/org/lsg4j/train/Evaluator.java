package org.lsg4j.train;

import org.lsg4j.kernels.Workers;
import org.lsg4j.model.LsgModel;
import org.lsg4j.model.ModelInputs;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.pipelines.Answer;
import org.lsg4j.pipelines.QuestionAnsweringOptions;
import org.lsg4j.pipelines.QuestionAnsweringPipeline;
import org.lsg4j.pipelines.QuestionContext;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a model on held-out examples: the mean loss and the task's metrics.
 * <ul>
 * <li>seq-classification and multiple-choice: accuracy, and macro-F1 for classification;</li>
 * <li>multi-label: micro-F1 of the labels whose logit is above 0 (probability above 0.5);</li>
 * <li>regression: mean squared and absolute error;</li>
 * <li>token-classification: seqeval's entity precision, recall and F1, and word accuracy, on the
 * label of each word's first token;</li>
 * <li>qa: SQuAD exact match and F1 of the answer {@link QuestionAnsweringPipeline} gives (the
 * one {@code lsg qa} prints: best span of at most 30 tokens over the windows);</li>
 * <li>mlm: perplexity, the exponential of the mean loss over masked tokens (masks drawn from a
 * fixed seed, the same at every evaluation).</li>
 * </ul>
 * The loss is averaged over examples (over masked tokens for mlm).
 */
final class Evaluator {
    /** The epoch number whose masks evaluation uses (training epochs count from 0). */
    static final int EVAL_MASKS = -1;
    static final int MAX_ANSWER_TOKENS = 30;

    private final Task task;
    private final Tokenizer tokenizer;
    private final LabelSet labels;
    private final List<Example> examples;
    private final List<Feature> features;
    private final Batches batches;
    private final int batchSize;
    private final int maxLength;
    private final int docStride;

    Evaluator(Task task, Tokenizer tokenizer, LabelSet labels, List<Example> examples, List<Feature> features,
              Batches batches, int batchSize, int maxLength, int docStride) {
        this.task = task;
        this.tokenizer = tokenizer;
        this.labels = labels;
        this.examples = examples;
        this.features = features;
        this.batches = batches;
        this.batchSize = batchSize;
        this.maxLength = maxLength;
        this.docStride = docStride;
    }

    /** The metrics of the model as it is now, by name, the loss first. */
    Map<String, Double> run(LsgModel model, Workers workers) {
        double lossSum = 0;
        double weightSum = 0;
        List<int[]> gold = new ArrayList<>();      // per feature: class, or multi-hot, or word tags
        List<int[]> predicted = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int[] batch : Batches.inOrderOfLength(features, batchSize)) {
            ModelInputs in = batches.inputs(features, batch, EVAL_MASKS);
            ModelOutputs out = model.forward(in, workers);
            double weight = batch.length;
            if (task == Task.MASKED_LM) {
                weight = 0;
                for (long l : ((LongTensor) in.labels()).data()) {
                    weight += l == Features.IGNORE ? 0 : 1;
                }
            }
            float loss = out.get("loss").data()[0];
            if (weight > 0) {
                lossSum += loss * weight;
                weightSum += weight;
            }
            collect(out, in, batch, gold, predicted, values);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        double loss = weightSum > 0 ? lossSum / weightSum : Double.NaN;
        m.put("loss", loss);
        switch (task) {
            case SEQUENCE_CLASSIFICATION, MULTIPLE_CHOICE -> {
                int[] g = gold.stream().mapToInt(a -> a[0]).toArray();
                int[] p = predicted.stream().mapToInt(a -> a[0]).toArray();
                m.put("accuracy", Metrics.accuracy(g, p));
                if (task == Task.SEQUENCE_CLASSIFICATION) {
                    m.put("macro_f1", Metrics.macroF1(g, p));
                }
            }
            case MULTI_LABEL -> {
                boolean[][] g = new boolean[gold.size()][];
                boolean[][] p = new boolean[gold.size()][];
                for (int i = 0; i < g.length; i++) {
                    g[i] = bits(gold.get(i));
                    p[i] = bits(predicted.get(i));
                }
                m.put("micro_f1", Metrics.microF1(g, p));
            }
            case REGRESSION -> {
                double se = 0;
                double ae = 0;
                for (double[] v : values) {
                    se += (v[0] - v[1]) * (v[0] - v[1]);
                    ae += Math.abs(v[0] - v[1]);
                }
                m.put("mse", se / values.size());
                m.put("mae", ae / values.size());
            }
            case TOKEN_CLASSIFICATION -> {
                List<List<String>> g = new ArrayList<>();
                List<List<String>> p = new ArrayList<>();
                for (int i = 0; i < gold.size(); i++) {
                    g.add(names(gold.get(i)));
                    p.add(names(predicted.get(i)));
                }
                Seqeval.Scores s = Seqeval.score(g, p);
                m.put("precision", s.precision());
                m.put("recall", s.recall());
                m.put("f1", s.f1());
                m.put("accuracy", s.accuracy());
            }
            case QUESTION_ANSWERING -> m.putAll(answers(model, workers));
            case MASKED_LM -> m.put("perplexity", Math.exp(loss));
        }
        return m;
    }

    private void collect(ModelOutputs out, ModelInputs in, int[] batch, List<int[]> gold, List<int[]> predicted,
                         List<double[]> values) {
        switch (task) {
            case SEQUENCE_CLASSIFICATION, MULTIPLE_CHOICE -> {
                float[] logits = out.get("logits").data();
                int k = logits.length / batch.length;
                for (int b = 0; b < batch.length; b++) {
                    gold.add(new int[]{(int) features.get(batch[b]).label()});
                    predicted.add(new int[]{argmax(logits, b * k, k)});
                }
            }
            case MULTI_LABEL -> {
                float[] logits = out.get("logits").data();
                int k = labels.size();
                for (int b = 0; b < batch.length; b++) {
                    float[] targets = features.get(batch[b]).targets();
                    int[] g = new int[k];
                    int[] p = new int[k];
                    for (int j = 0; j < k; j++) {
                        g[j] = targets[j] > 0.5f ? 1 : 0;
                        p[j] = logits[b * k + j] > 0 ? 1 : 0;
                    }
                    gold.add(g);
                    predicted.add(p);
                }
            }
            case REGRESSION -> {
                float[] logits = out.get("logits").data();
                for (int b = 0; b < batch.length; b++) {
                    values.add(new double[]{logits[b], features.get(batch[b]).targets()[0]});
                }
            }
            case TOKEN_CLASSIFICATION -> {
                float[] logits = out.get("logits").data();
                int t = in.inputIds().dim(1);
                int k = labels.size();
                for (int b = 0; b < batch.length; b++) {
                    Feature f = features.get(batch[b]);
                    Example.TaggedWords w = (Example.TaggedWords) examples.get(f.example());
                    List<Integer> g = new ArrayList<>();
                    List<Integer> p = new ArrayList<>();
                    for (int i = 0; i < f.words().length; i++) {
                        if (f.words()[i] >= 0) {
                            g.add(labels.id(w.tags().get(f.words()[i]), "evaluation"));
                            p.add(argmax(logits, (b * t + i) * k, k));
                        }
                    }
                    gold.add(g.stream().mapToInt(Integer::intValue).toArray());
                    predicted.add(p.stream().mapToInt(Integer::intValue).toArray());
                }
            }
            default -> {
            }
        }
    }

    /** Exact match and F1 of the pipeline's best answer to every question. */
    private Map<String, Double> answers(LsgModel model, Workers workers) {
        List<QuestionContext> inputs = new ArrayList<>();
        List<List<String>> gold = new ArrayList<>();
        for (Example e : examples) {
            Example.Question q = (Example.Question) e;
            inputs.add(new QuestionContext(q.question().stripLeading(), q.context()));
            gold.add(q.answers());
        }
        QuestionAnsweringOptions options = QuestionAnsweringOptions.defaults().withMaxSeqLen(maxLength)
                .withDocStride(docStride).withMaxAnswerLen(MAX_ANSWER_TOKENS);
        List<String> predicted = new ArrayList<>();
        for (List<Answer> a : new QuestionAnsweringPipeline(new TaskModel(model, tokenizer).withWorkers(workers))
                .run(inputs, options, batchSize)) {
            predicted.add(a.isEmpty() ? "" : a.get(0).answer());
        }
        Squad.Scores s = Squad.score(predicted, gold);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("exact_match", s.exactMatch());
        m.put("f1", s.f1());
        return m;
    }

    private List<String> names(int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(labels.names().get(id));
        }
        return out;
    }

    private static boolean[] bits(int[] v) {
        boolean[] b = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i] != 0;
        }
        return b;
    }

    private static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[off + i] > x[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
