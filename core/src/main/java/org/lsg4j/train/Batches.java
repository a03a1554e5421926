package org.lsg4j.train;

import org.lsg4j.model.ModelInputs;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The batches of an epoch and their model inputs.
 *
 * <p><b>Order.</b> Features are grouped by length as transformers' {@code group_by_length} groups
 * them (LengthGroupedSampler): a seeded shuffle, cut into mega-batches of
 * {@code min(n / (4 * batch), 50)} batches, each sorted longest first, the longest feature of all
 * moved to the front (a batch too big for memory fails at once), then consecutive batches. A batch
 * is padded to its longest feature only, so padding stays small. The shuffle of epoch e comes from
 * (seed, e) alone: resuming at any step gives the same order.
 *
 * <p><b>Masked LM.</b> Masks are drawn when a batch is made, as DataCollatorForLanguageModeling
 * draws them: each token that is not special is selected with probability 0.15; a selected token
 * becomes the mask token with probability 0.8, a random token (uniform over the vocabulary) with
 * probability 0.1, and stays with probability 0.1; labels are the original ids of selected tokens
 * and -100 elsewhere. The draws of a feature come from (seed, epoch, feature), so each epoch masks
 * differently and a resumed run masks as the uninterrupted one.
 */
final class Batches {
    static final double MLM_PROBABILITY = 0.15;
    private final Task task;
    private final Tokenizer tokenizer;
    private final boolean typeIds;
    private final long seed;

    /**
     * @param typeIds whether the model reads token_type_ids
     * @param seed    the seed of the order and of the masks
     */
    Batches(Task task, Tokenizer tokenizer, boolean typeIds, long seed) {
        this.task = task;
        this.tokenizer = tokenizer;
        this.typeIds = typeIds;
        this.seed = seed;
    }

    /** The batches of epoch {@code epoch}: feature indices, {@code batchSize} each (the last one may be smaller). */
    List<int[]> epoch(List<Feature> features, int batchSize, int epoch) {
        int n = features.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(mix(seed, 0x5EED0000L + epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
        int mult = Math.max(1, Math.min(n / (batchSize * 4), 50));
        int mega = mult * batchSize;
        Integer[] boxed = Arrays.stream(order).boxed().toArray(Integer[]::new);
        int longestMega = 0;
        int longest = -1;
        for (int from = 0; from < n; from += mega) {
            int to = Math.min(n, from + mega);
            Arrays.sort(boxed, from, to, (a, b) -> Integer.compare(features.get(b).length(), features.get(a).length()));
            if (features.get(boxed[from]).length() > longest) {
                longest = features.get(boxed[from]).length();
                longestMega = from;
            }
        }
        Integer first = boxed[0];
        boxed[0] = boxed[longestMega];
        boxed[longestMega] = first;
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < n; from += batchSize) {
            int[] b = new int[Math.min(batchSize, n - from)];
            for (int i = 0; i < b.length; i++) {
                b[i] = boxed[from + i];
            }
            batches.add(b);
        }
        return batches;
    }

    /** Evaluation batches: features in order of length (least padding), {@code batchSize} each. */
    static List<int[]> inOrderOfLength(List<Feature> features, int batchSize) {
        Integer[] order = new Integer[features.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(features.get(a).length(), features.get(b).length()));
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int[] b = new int[Math.min(batchSize, order.length - from)];
            for (int i = 0; i < b.length; i++) {
                b[i] = order[from + i];
            }
            batches.add(b);
        }
        return batches;
    }

    /**
     * The model inputs of a batch with its labels, rows right-padded to the longest with the pad id,
     * attention mask 0 and type 0 (token labels -100).
     *
     * @param epoch the epoch whose masks a masked-LM batch gets (evaluation passes its own fixed one)
     */
    ModelInputs inputs(List<Feature> features, int[] batch, int epoch) {
        int n = batch.length;
        int rows = features.get(batch[0]).ids().size();
        int t = 0;
        for (int i : batch) {
            t = Math.max(t, features.get(i).length());
        }
        long[] ids = new long[n * rows * t];
        long[] mask = new long[n * rows * t];
        long[] types = new long[n * rows * t];
        Arrays.fill(ids, tokenizer.padId());
        for (int b = 0; b < n; b++) {
            Feature f = features.get(batch[b]);
            for (int r = 0; r < rows; r++) {
                int[] row = f.ids().get(r);
                int[] type = f.types().get(r);
                int off = (b * rows + r) * t;
                for (int i = 0; i < row.length; i++) {
                    ids[off + i] = row[i];
                    mask[off + i] = 1;
                    types[off + i] = type[i];
                }
            }
        }
        int[] shape = task == Task.MULTIPLE_CHOICE ? new int[]{n, rows, t} : new int[]{n, t};
        ModelInputs in = ModelInputs.of(new LongTensor(shape, ids)).withAttentionMask(new LongTensor(shape, mask));
        if (typeIds) {
            in = in.withTokenTypeIds(new LongTensor(shape, types));
        }
        return switch (task) {
            case SEQUENCE_CLASSIFICATION, MULTIPLE_CHOICE -> {
                long[] labels = new long[n];
                for (int b = 0; b < n; b++) {
                    labels[b] = features.get(batch[b]).label();
                }
                yield in.withLabels(new LongTensor(new int[]{n}, labels));
            }
            case MULTI_LABEL, REGRESSION -> {
                int k = features.get(batch[0]).targets().length;
                float[] labels = new float[n * k];
                for (int b = 0; b < n; b++) {
                    System.arraycopy(features.get(batch[b]).targets(), 0, labels, b * k, k);
                }
                yield in.withLabels(new FloatTensor(task == Task.REGRESSION ? new int[]{n} : new int[]{n, k}, labels));
            }
            case TOKEN_CLASSIFICATION -> {
                long[] labels = new long[n * t];
                Arrays.fill(labels, Features.IGNORE);
                for (int b = 0; b < n; b++) {
                    long[] l = features.get(batch[b]).tokenLabels();
                    System.arraycopy(l, 0, labels, b * t, l.length);
                }
                yield in.withLabels(new LongTensor(new int[]{n, t}, labels));
            }
            case QUESTION_ANSWERING -> {
                long[] start = new long[n];
                long[] end = new long[n];
                for (int b = 0; b < n; b++) {
                    start[b] = features.get(batch[b]).start();
                    end[b] = features.get(batch[b]).end();
                }
                yield in.withPositions(new LongTensor(new int[]{n}, start), new LongTensor(new int[]{n}, end));
            }
            case MASKED_LM -> masked(in, features, batch, t, epoch);
        };
    }

    /** Masked-LM inputs: the ids with masks drawn, the labels. */
    private ModelInputs masked(ModelInputs in, List<Feature> features, int[] batch, int t, int epoch) {
        long[] ids = in.inputIds().data().clone();
        long[] labels = new long[ids.length];
        Arrays.fill(labels, Features.IGNORE);
        int maskId = tokenizer.maskId().orElseThrow();
        int vocab = tokenizer.vocabSize();
        for (int b = 0; b < batch.length; b++) {
            SplittableRandom random = new SplittableRandom(mix(mix(seed, epoch), batch[b]));
            int length = features.get(batch[b]).length();
            for (int i = 0; i < length; i++) {
                int at = b * t + i;
                if (tokenizer.isSpecial((int) ids[at]) || random.nextDouble() >= MLM_PROBABILITY) {
                    continue;
                }
                labels[at] = ids[at];
                double how = random.nextDouble();
                if (how < 0.8) {
                    ids[at] = maskId;
                } else if (how < 0.9) {
                    ids[at] = random.nextInt(vocab);
                }
            }
        }
        LongTensor shaped = new LongTensor(in.inputIds().shape(), ids);
        ModelInputs masked = ModelInputs.of(shaped).withAttentionMask(in.attentionMask());
        if (in.tokenTypeIds() != null) {
            masked = masked.withTokenTypeIds(in.tokenTypeIds());
        }
        return masked.withLabels(new LongTensor(in.inputIds().shape(), labels));
    }

    /** A 64-bit mix of two values (SplitMix64's finaliser), for seeds derived from a seed. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
