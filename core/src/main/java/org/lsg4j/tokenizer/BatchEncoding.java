package org.lsg4j.tokenizer;

import java.util.List;

/**
 * The encodings of a batch. Without overflowing windows there is one per input, in order; with
 * them an input may give several, in order, and {@link #sampleIndex} tells which input each came
 * from (the reference's overflow_to_sample_mapping).
 */
public record BatchEncoding(List<Encoding> encodings, List<Integer> sampleIndices) {
    public BatchEncoding {
        encodings = List.copyOf(encodings);
        sampleIndices = List.copyOf(sampleIndices);
    }

    public int size() {
        return encodings.size();
    }

    public Encoding get(int i) {
        return encodings.get(i);
    }

    /** The index of the input encoding {@code i} comes from. */
    public int sampleIndex(int i) {
        return sampleIndices.get(i);
    }
}
