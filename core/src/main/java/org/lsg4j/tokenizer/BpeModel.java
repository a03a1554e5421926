package org.lsg4j.tokenizer;

import org.lsg4j.LsgException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE on one word: the word's UTF-8 bytes start as one symbol each, then the adjacent
 * pair with the lowest merge rank is merged, the leftmost first among equal ranks, until no pair
 * has a rule (the order the reference's priority queue gives).
 *
 * <p>Offsets: a token that covers only part of a character's UTF-8 bytes reports the whole
 * character (both halves of an emoji span it), as the reference's byte-level alphabet gives every
 * byte-char the span of the character it came from.
 *
 * <p>Symbols sit in a doubly linked list over arrays and candidate merges in a binary min-heap, so a
 * word of n bytes costs O(n log n) rather than the quadratic rescans of the textbook loop; a
 * megabyte without a space is fine. Results for short words are kept in a bounded concurrent cache.
 */
final class BpeModel implements Model {
    /** Words longer than this (in chars) are not cached. */
    private static final int MAX_CACHED_WORD = 64;
    /** The cache stops taking new words once it holds this many. */
    private static final int CACHE_CAPACITY = 100_000;

    private final MergeTable merges;
    private final int[] byteIds;
    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final boolean ignoreMerges;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param byteIds the id of the one-character token of each byte
     * @param vocab token string to id, used only when {@code ignoreMerges} is set
     * @param idToToken the token string of each id
     * @param ignoreMerges take a word that is a vocabulary entry as is (tokenizers' ignore_merges)
     */
    BpeModel(MergeTable merges, int[] byteIds, Map<String, Integer> vocab, String[] idToToken, boolean ignoreMerges) {
        this.merges = merges;
        this.byteIds = byteIds.clone();
        this.vocab = vocab;
        this.idToToken = idToToken;
        this.ignoreMerges = ignoreMerges;
    }

    /**
     * The byte-level BPE model of a vocabulary and its merge rules.
     *
     * @throws LsgException when a merge uses a token outside the vocabulary, or a byte has no token
     */
    static BpeModel of(Map<String, Integer> vocab, List<String[]> merges, String[] idToToken, boolean ignoreMerges) {
        int n = merges.size();
        int[] left = new int[n];
        int[] right = new int[n];
        int[] merged = new int[n];
        for (int r = 0; r < n; r++) {
            String[] m = merges.get(r);
            left[r] = idOf(vocab, m[0], r);
            right[r] = idOf(vocab, m[1], r);
            merged[r] = idOf(vocab, m[0] + m[1], r);
        }
        int[] byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
            if (id == null) {
                throw new LsgException("the vocabulary lacks the byte-level token for byte " + b
                        + " (\"" + ByteLevelAlphabet.charOf(b) + "\"); it is not a byte-level BPE vocabulary");
            }
            byteIds[b] = id;
        }
        return new BpeModel(MergeTable.of(left, right, merged), byteIds, vocab, idToToken, ignoreMerges);
    }

    private static int idOf(Map<String, Integer> vocab, String token, int rank) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new LsgException("merge rule " + rank + " uses \"" + token + "\", which is not in the vocabulary");
        }
        return id;
    }

    @Override
    public void tokenize(String text, int from, int to, TokenSink sink) {
        int[] pieces = pieces(text, from, to);
        // Walk the word's characters alongside the pieces' bytes.
        int charStart = from;
        int charBytesEnd = TextChars.utf8Length(TextChars.codePointAt(text, from));
        int bytePos = 0;
        for (int p = 0; p < pieces.length; p += 2) {
            int pieceEnd = bytePos + pieces[p + 1];
            int start = charStart;
            while (charBytesEnd < pieceEnd) {
                charStart += TextChars.charCount(text, charStart);
                charBytesEnd += TextChars.utf8Length(TextChars.codePointAt(text, charStart));
            }
            int end = charStart + TextChars.charCount(text, charStart);
            sink.token(pieces[p], idToToken[pieces[p]], start, end);
            bytePos = pieceEnd;
            if (charBytesEnd == pieceEnd && end < to) {
                charStart = end;
                charBytesEnd += TextChars.utf8Length(TextChars.codePointAt(text, charStart));
            }
        }
    }

    /**
     * The tokens of {@code text[from, to)} as pairs {@code [id0, byteLength0, id1, byteLength1, …]}
     * in order; the byte lengths add up to the word's UTF-8 length. The array must not be modified.
     */
    int[] pieces(String text, int from, int to) {
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
