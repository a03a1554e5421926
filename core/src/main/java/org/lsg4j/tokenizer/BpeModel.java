package org.lsg4j.tokenizer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE on one word: the word's UTF-8 bytes start as one symbol each, then the adjacent
 * pair with the lowest merge rank is merged, the leftmost first among equal ranks, until no pair
 * has a rule (the order the reference's priority queue gives).
 *
 * <p>Symbols sit in a doubly linked list over arrays and candidate merges in a binary min-heap, so a
 * word of n bytes costs O(n log n) rather than the quadratic rescans of the textbook loop; a
 * megabyte without a space is fine. Results for short words are kept in a bounded concurrent cache.
 */
final class BpeModel {
    /** Words longer than this (in chars) are not cached. */
    private static final int MAX_CACHED_WORD = 64;
    /** The cache stops taking new words once it holds this many. */
    private static final int CACHE_CAPACITY = 100_000;

    private final MergeTable merges;
    private final int[] byteIds;
    private final Map<String, Integer> vocab;
    private final boolean ignoreMerges;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param byteIds the id of the one-character token of each byte
     * @param vocab token string to id, used only when {@code ignoreMerges} is set
     * @param ignoreMerges take a word that is a vocabulary entry as is (tokenizers' ignore_merges)
     */
    BpeModel(MergeTable merges, int[] byteIds, Map<String, Integer> vocab, boolean ignoreMerges) {
        this.merges = merges;
        this.byteIds = byteIds.clone();
        this.vocab = vocab;
        this.ignoreMerges = ignoreMerges;
    }

    /**
     * The tokens of {@code text[from, to)} as pairs {@code [id0, byteLength0, id1, byteLength1, …]}
     * in order; the byte lengths add up to the word's UTF-8 length. The array must not be modified.
     */
    int[] tokenize(String text, int from, int to) {
        if (to - from > MAX_CACHED_WORD) {
            return compute(text, from, to);
        }
        String word = text.substring(from, to);
        int[] pieces = cache.get(word);
        if (pieces == null) {
            pieces = compute(word, 0, word.length());
            if (cache.size() < CACHE_CAPACITY) {
                cache.putIfAbsent(word, pieces);
            }
        }
        return pieces;
    }

    private int[] compute(String text, int from, int to) {
        byte[] bytes = TextChars.utf8(text, from, to);
        if (ignoreMerges) {
            Integer whole = vocab.get(byteLevel(bytes));
            if (whole != null) {
                return new int[] {whole, bytes.length};
            }
        }
        return merge(bytes);
    }

    private static String byteLevel(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = ByteLevelAlphabet.charOf(bytes[i]);
        }
        return new String(chars);
    }

    private int[] merge(byte[] bytes) {
        int n = bytes.length;
        int[] id = new int[n];
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = byteIds[bytes[i] & 0xFF];
            length[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongHeap heap = new LongHeap(Math.max(4, n));
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, id, i, i + 1);
        }
        int symbols = n;
        while (!heap.isEmpty()) {
            long top = heap.poll();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            int right = next[pos];
            // Stale entries: the symbol was merged away, or its pair changed since it was queued.
            if (length[pos] == 0 || right < 0 || merges.rank(id[pos], id[right]) != rank) {
                continue;
            }
            id[pos] = merges.merged(id[pos], id[right]);
            length[pos] += length[right];
            length[right] = 0;
            next[pos] = next[right];
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
            }
            symbols--;
            if (prev[pos] >= 0) {
                offer(heap, id, prev[pos], pos);
            }
            if (next[pos] >= 0) {
                offer(heap, id, pos, next[pos]);
            }
        }
        int[] pieces = new int[symbols * 2];
        int k = 0;
        for (int i = 0; i >= 0 && n > 0; i = next[i]) {
            pieces[k++] = id[i];
            pieces[k++] = length[i];
        }
        return pieces;
    }

    private void offer(LongHeap heap, int[] id, int left, int right) {
        int rank = merges.rank(id[left], id[right]);
        if (rank >= 0) {
            heap.add(((long) rank << 32) | left);
        }
    }
}
