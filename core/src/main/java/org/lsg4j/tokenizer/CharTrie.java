package org.lsg4j.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trie of vocabulary strings over UTF-16 units, its edges in one open-addressing table keyed by
 * (node, char): walking a text char by char finds every entry that is a prefix of it, in order of
 * length. Immutable.
 */
final class CharTrie {
    static final int ROOT = 0;
    private final long[] keys;     // node << 16 | char, or -1
    private final int[] children;
    private final int[] entryIds;  // per node, -1 when no entry ends there
    private final int mask;

    /** @param entries each string with its id (the empty string is never found) */
    CharTrie(Map<String, Integer> entries) {
        Map<Long, Integer> edges = new HashMap<>();
        List<Integer> leaf = new ArrayList<>();
        leaf.add(-1);
        for (Map.Entry<String, Integer> entry : entries.entrySet()) {
            String p = entry.getKey();
            int node = ROOT;
            for (int i = 0; i < p.length(); i++) {
                long key = ((long) node << 16) | p.charAt(i);
                Integer next = edges.get(key);
                if (next == null) {
                    next = leaf.size();
                    leaf.add(-1);
                    edges.put(key, next);
                }
                node = next;
            }
            if (node != ROOT) {
                leaf.set(node, entry.getValue());
            }
        }
        int capacity = Integer.highestOneBit(Math.max(4, edges.size() * 2)) << 1;
        keys = new long[capacity];
        children = new int[capacity];
        Arrays.fill(keys, -1L);
        mask = capacity - 1;
        edges.forEach((key, child) -> {
            int i = slot(key) & mask;
            while (keys[i] != -1L) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            children[i] = child;
        });
        entryIds = leaf.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The child of {@code node} along {@code c}, or -1. */
    int child(int node, char c) {
        long key = ((long) node << 16) | c;
        for (int i = slot(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return children[i];
            }
            if (k == -1L) {
                return -1;
            }
        }
    }

    /** The id of the entry ending at {@code node}, or -1. */
    int id(int node) {
        return entryIds[node];
    }

    private static int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }
}
