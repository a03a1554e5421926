package org.lsg4j.pipelines;

import org.lsg4j.LsgException;
import org.lsg4j.model.Head;
import org.lsg4j.model.ModelOutputs;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The Hugging Face {@code fill-mask} pipeline: for each mask token ({@code <mask>}, {@code [MASK]},
 * whatever the tokenizer's is) of a text, the most likely
 * tokens with their softmax probability over the vocabulary, and the text with each filled in.
 * Immutable and thread-safe once built (when the warning sink is).
 */
public final class FillMaskPipeline {
    /**
     * The most mask logits (masks x vocabulary) made for one input [a few masks x 50,265]: beyond
     * it, the logits alone take over 128 MB, and each mask's top_k full sequences more again.
     */
    static final long MAX_MASK_LOGITS = 1 << 25;

    private final TaskModel model;
    private final DocumentEncoder encoder;
    private final Consumer<String> warnings;
    private final String maskToken;
    private final int maskId;
    private final int vocabSize;

    /**
     * A pipeline whose warnings (inputs truncated, options replaced) go to the platform logger,
     * {@code System.getLogger("org.lsg4j.pipelines.FillMaskPipeline")}, at level WARNING.
     *
     * @param model a model loaded with {@link Head#MASKED_LM}
     */
    public FillMaskPipeline(TaskModel model) {
        this(model, Warnings.logged(FillMaskPipeline.class));
    }

    /**
     * @param model a model loaded with {@link Head#MASKED_LM}
     * @param warnings where warnings go (targets replaced or ignored, inputs truncated)
     */
    public FillMaskPipeline(TaskModel model, Consumer<String> warnings) {
        TaskModels.requireHead(model, Head.MASKED_LM, "fill-mask");
        this.model = model;
        this.encoder = new DocumentEncoder(model, warnings);
        this.warnings = warnings;
        this.vocabSize = model.model().config().vocabSize();
        this.maskToken = model.tokenizer().maskToken().orElseThrow(() -> new LsgException("the tokenizer has no mask"
                + " token (tokenizer_config.json names no mask_token, and there is no <mask> or [MASK]): fill-mask needs one"));
        this.maskId = model.tokenizer().maskId().orElseThrow();
    }

    /** Fills the masks of one text. */
    public FillMaskResult run(String text, FillMaskOptions options) {
        return run(List.of(text), options).get(0);
    }

    /**
     * Fills the masks of each text.
     *
     * @throws LsgException when a text has no mask token (after truncation), or no target is left
     */
    public List<FillMaskResult> run(List<String> texts, FillMaskOptions options) {
        return configure(options).run(texts);
    }

    /**
     * Resolves the options once (targets, with their warnings) for many runs, such as the
     * batches of a stream.
     *
     * @throws LsgException when no target is left
     */
    public Configured configure(FillMaskOptions options) {
        int[] targets = options.targets() == null ? null
                : FillMaskTargets.resolve(options.targets(), model.tokenizer(), warnings);
        return new Configured(options, targets);
    }

    /** The pipeline with its options resolved. Immutable and thread-safe. */
    public final class Configured {
        private final FillMaskOptions options;
        private final int[] targets;   // null: the whole vocabulary
        private final int topK;

        private Configured(FillMaskOptions options, int[] targets) {
            this.options = options;
            this.targets = targets;
            this.topK = targets == null ? options.topK() : Math.min(options.topK(), targets.length);
        }

        /**
         * Fills the masks of each text.
         *
         * @throws LsgException when a text has no mask token (after truncation)
         */
        public List<FillMaskResult> run(List<String> texts) {
            List<Encoding> encodings = new ArrayList<>(texts.size());
            for (String text : texts) {
                Encoding e = encoder.encode(TextInput.of(text), options.maxLength());
                int masks = maskPositions(e).length;
                if (masks == 0) {
                    throw new LsgException("No mask_token (" + maskToken + ") found on the input");
                }
                if ((long) masks * vocabSize > MAX_MASK_LOGITS) {
                    throw new LsgException("the input has " + masks + " mask tokens (" + maskToken + "): their " + masks
                            + " x " + vocabSize + " logits are more than the " + MAX_MASK_LOGITS + " lsg4j computes for"
                            + " one input; fill at most " + MAX_MASK_LOGITS / vocabSize + " masks at a time");
                }
                encodings.add(e);
            }
            // the masked-LM head runs at the masks only: a few rows of logits instead of tokens x vocabulary
            return new BatchRunner(model, false).runAt(encodings, options.batchSize(), FillMaskPipeline.this::maskPositions,
                    (i, outputs, first, length) -> fill(encodings.get(i), outputs, first, targets, topK));
        }
    }

    /** The proposals for the masks of {@code e}, whose first mask's logits are row {@code first} of the logits. */
    private FillMaskResult fill(Encoding e, ModelOutputs outputs, int first, int[] targets, int topK) {
        float[] logits = outputs.get("logits").data();
        int[] masks = maskPositions(e);
        boolean single = masks.length == 1;
        List<List<FillMaskCandidate>> perMask = new ArrayList<>(masks.length);
        for (int m = 0; m < masks.length; m++) {
            int position = masks[m];
            float[] probs = Scores.softmax(logits, (first + m) * vocabSize, vocabSize);
            float[] scores = targets == null ? probs : pick(probs, targets);
            List<FillMaskCandidate> candidates = new ArrayList<>(topK);
            for (int index : Scores.top(scores, topK)) {
                int token = targets == null ? index : targets[index];
                candidates.add(new FillMaskCandidate(scores[index], token, model.tokenizer().decode(new int[]{token}, false),
                        sequence(e, position, token, single)));
            }
            perMask.add(candidates);
        }
        return new FillMaskResult(perMask);
    }

    private static float[] pick(float[] probs, int[] ids) {
        float[] out = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = probs[ids[i]];
        }
        return out;
    }

    /** The input with one mask replaced, pad ids removed; special tokens are kept when there are several masks. */
    private String sequence(Encoding e, int position, int token, boolean skipSpecialTokens) {
        int padId = model.tokenizer().padId();
        int[] ids = e.ids();
        ids[position] = token;
        int[] kept = Arrays.stream(ids).filter(id -> id != padId).toArray();
        return model.tokenizer().decode(kept, skipSpecialTokens);
    }

    private int[] maskPositions(Encoding e) {
        int[] ids = e.ids();
        return IntStream.range(0, ids.length).filter(i -> ids[i] == maskId).toArray();
    }
}
