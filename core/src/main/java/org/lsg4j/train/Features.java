package org.lsg4j.train;

import org.lsg4j.LsgException;
import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Tokenizer;
import org.lsg4j.tokenizer.Truncation;
import org.lsg4j.tokenizer.TruncationStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns examples into {@link Feature}s as Hugging Face's example scripts prepare them:
 * <ul>
 * <li>classification and regression: the text (or pair) with special tokens, truncated to
 * max_length (longest input first);</li>
 * <li>token classification: the words joined by spaces; a word's label on its first token and -100
 * on its other tokens (with {@code labelAllTokens} they get the label too, a {@code B-} label as its
 * {@code I-} form) and on special tokens, as run_ner.py aligns them;</li>
 * <li>question answering: question and context as a pair, the context cut into windows of
 * max_length overlapping by doc_stride tokens; a window holding the whole first answer gets its
 * first and last token, another window the first token (no answer there), as run_qa.py;</li>
 * <li>multiple choice: the prompt paired with each choice, truncated longest first;</li>
 * <li>masked LM: the text cut into windows of max_length with no overlap (no text is lost); the
 * masks are drawn per batch (see {@link Batches}).</li>
 * </ul>
 *
 * @param labels the label set of a task with label names, else null
 */
record Features(Task task, Tokenizer tokenizer, LabelSet labels, int maxLength, int docStride, boolean labelAllTokens) {

    static final int IGNORE = -100;

    /** The features of every example, in example order. */
    List<Feature> of(List<Example> examples, String source) {
        List<Feature> out = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            String where = source + " example " + (i + 1);
            try {
                out.addAll(of(i, examples.get(i), where));
            } catch (LsgException e) {
                throw e.getMessage().startsWith(source) ? e : new LsgException(where + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private List<Feature> of(int index, Example example, String where) {
        return switch (example) {
            case Example.Text t when task == Task.MASKED_LM -> windows(index, t.text());
            case Example.Text t -> List.of(text(index, t, where));
            case Example.TaggedWords w -> List.of(tagged(index, w, where));
            case Example.Question q -> question(index, q);
            case Example.Choices c -> List.of(choices(index, c));
        };
    }

    private Encoding encode(TextInput input) {
        BatchOptions options = BatchOptions.defaults().withTruncation(Truncation.longestFirst(maxLength));
        return tokenizer.encodeBatch(List.of(input), options).get(0);
    }

    private Feature text(int index, Example.Text t, String where) {
        Encoding e = encode(new TextInput(t.text(), t.pair()));
        long label = -1;
        float[] targets = null;
        switch (task) {
            case SEQUENCE_CLASSIFICATION -> label = labels.id(t.labels().get(0), where);
            case MULTI_LABEL -> {
                targets = new float[labels.size()];
                for (String name : t.labels()) {
                    targets[labels.id(name, where)] = 1f;
                }
            }
            case REGRESSION -> targets = new float[]{(float) t.value()};
            default -> throw new IllegalStateException(task + " has no text examples");
        }
        return new Feature(index, List.of(e.ids()), List.of(e.typeIds()), label, targets, null, null, 0, 0);
    }

    private Feature tagged(int index, Example.TaggedWords w, String where) {
        int[] wordStart = new int[w.words().size()];
        for (int i = 1; i < wordStart.length; i++) {
            wordStart[i] = wordStart[i - 1] + w.words().get(i - 1).length() + 1;
        }
        String text = w.text();
        Encoding e = encode(TextInput.of(text));
        long[] tokenLabels = new long[e.length()];
        int[] words = new int[e.length()];
        Arrays.fill(tokenLabels, IGNORE);
        Arrays.fill(words, -1);
        int previous = -1;
        for (int i = 0; i < e.length(); i++) {
            int start = e.start(i);
            while (start < e.end(i) && text.charAt(start) == ' ') {
                start++;   // a byte-level token's offsets may include the space before its word
            }
            if (e.sequenceId(i) != 0 || start >= e.end(i)) {
                continue;   // special tokens, and tokens covering no char of a word
            }
            int word = Arrays.binarySearch(wordStart, start);
            word = word >= 0 ? word : -word - 2;
            int id = labels.id(w.tags().get(word), where);
            if (word != previous) {
                tokenLabels[i] = id;
                words[i] = word;
            } else if (labelAllTokens) {
                tokenLabels[i] = labels.continuation(id);
            }
            previous = word;
        }
        return new Feature(index, List.of(e.ids()), List.of(e.typeIds()), -1, null, tokenLabels, words, 0, 0);
    }

    private List<Feature> question(int index, Example.Question q) {
        String question = q.question().stripLeading();   // run_qa.py strips the question's leading spaces
        Truncation windows = new Truncation(TruncationStrategy.ONLY_SECOND, maxLength, docStride, true);
        List<Encoding> all = tokenizer.encodeBatch(List.of(TextInput.of(question, q.context())),
                BatchOptions.defaults().withTruncation(windows)).encodings();
        List<Feature> out = new ArrayList<>();
        for (Encoding e : all) {
            int start = 0;
            int end = 0;
            if (!q.answers().isEmpty()) {
                int startChar = q.starts().get(0);
                int endChar = startChar + q.answers().get(0).length();
                int first = -1;
                int last = -1;
                for (int i = 0; i < e.length(); i++) {
                    if (e.sequenceId(i) == 1) {
                        first = first < 0 ? i : first;
                        last = i;
                    }
                }
                if (first >= 0 && e.start(first) <= startChar && e.end(last) >= endChar) {
                    start = first;
                    while (start <= last && e.start(start) <= startChar) {
                        start++;
                    }
                    start--;
                    end = last;
                    while (end >= first && e.end(end) >= endChar) {
                        end--;
                    }
                    end++;
                }
            }
            out.add(new Feature(index, List.of(e.ids()), List.of(e.typeIds()), -1, null, null, null, start, end));
        }
        return out;
    }

    private Feature choices(int index, Example.Choices c) {
        List<int[]> ids = new ArrayList<>();
        List<int[]> types = new ArrayList<>();
        for (String choice : c.choices()) {
            Encoding e = encode(TextInput.of(c.prompt(), choice));
            ids.add(e.ids());
            types.add(e.typeIds());
        }
        return new Feature(index, ids, types, c.label(), null, null, null, 0, 0);
    }

    private List<Feature> windows(int index, String text) {
        List<Feature> out = new ArrayList<>();
        for (Encoding e : tokenizer.encodeBatch(List.of(TextInput.of(text)),
                BatchOptions.defaults().withTruncation(Truncation.windows(maxLength, 0))).encodings()) {
            out.add(new Feature(index, List.of(e.ids()), List.of(e.typeIds()), -1, null, null, null, 0, 0));
        }
        return out;
    }
}
