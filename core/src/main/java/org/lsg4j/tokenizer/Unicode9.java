package org.lsg4j.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Unicode 9.0.0 character data the Rust tokenizers library normalizes and classifies with
 * (through crates frozen at that version), read from {@code unicode-9.0.0.txt}: canonical combining
 * classes, full decompositions, primary composites, combining marks, and the general categories
 * Cc, Cf, Co, Mn and P. The JDK's tables follow a newer Unicode version, so they would treat
 * characters assigned after 9.0.0 differently (for instance NFKD folds U+A7F2 there but not here).
 * Loaded once, immutable.
 */
final class Unicode9 {
    private static final String RESOURCE = "unicode-9.0.0.txt";

    private final int[] cccRanges;        // from, to, class triples, sorted
    private final Map<Integer, int[]> canonical;
    private final Map<Integer, int[]> compatibility;
    private final Map<Long, Integer> composites;
    private final int[] marks;            // from, to pairs, sorted
    private final int[] control;
    private final int[] format;
    private final int[] privateUse;
    private final int[] nonspacing;
    private final int[] punctuation;

    private static final class Holder {
        static final Unicode9 DATA = load();
    }

    private Unicode9(Map<String, List<int[]>> ranges, int[] cccRanges, Map<Integer, int[]> canonical,
                     Map<Integer, int[]> compatibility, Map<Long, Integer> composites) {
        this.cccRanges = cccRanges;
        this.canonical = Map.copyOf(canonical);
        this.compatibility = Map.copyOf(compatibility);
        this.composites = Map.copyOf(composites);
        this.marks = flat(ranges.get("mark"));
        this.control = flat(ranges.get("Cc"));
        this.format = flat(ranges.get("Cf"));
        this.privateUse = flat(ranges.get("Co"));
        this.nonspacing = flat(ranges.get("Mn"));
        this.punctuation = flat(ranges.get("P"));
    }

    static Unicode9 get() {
        return Holder.DATA;
    }

    /** Canonical combining class (0 for starters and for characters unassigned in 9.0.0). */
    int combiningClass(int cp) {
        if (cp < 0x300) {
            return 0;
        }
        int lo = 0;
        int hi = cccRanges.length / 3 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < cccRanges[3 * mid]) {
                hi = mid - 1;
            } else if (cp > cccRanges[3 * mid + 1]) {
                lo = mid + 1;
            } else {
                return cccRanges[3 * mid + 2];
            }
        }
        return 0;
    }

    /** The full canonical decomposition of {@code cp}, or null when it has none (Hangul excluded). */
    int[] canonicalDecomposition(int cp) {
        return canonical.get(cp);
    }

    /** The full compatibility decomposition, or null when it equals the canonical one (Hangul excluded). */
    int[] compatibilityDecomposition(int cp) {
        return compatibility.get(cp);
    }

    /** The primary composite of {@code first} and {@code second}, or -1 (Hangul excluded). */
    int compose(int first, int second) {
        Integer c = composites.get(pairKey(first, second));
        return c == null ? -1 : c;
    }

    /** General category M (the StripAccents normalizer's is_combining_mark). */
    boolean isCombiningMark(int cp) {
        return cp >= 0x300 && in(marks, cp);
    }

    /** Cc, Cf or Co: the BertNormalizer's control characters (Cn is not included). */
    boolean isOther(int cp) {
        if (cp < 0xA0) {
            return cp < 0x20 || cp >= 0x7F;
        }
        return in(control, cp) || in(format, cp) || in(privateUse, cp);
    }

    /** Mn, removed when the BertNormalizer strips accents. */
    boolean isNonspacingMark(int cp) {
        return cp >= 0x300 && in(nonspacing, cp);
    }

    /** Any of Pc, Pd, Ps, Pe, Pi, Pf, Po. */
    boolean isPunctuation(int cp) {
        return in(punctuation, cp);
    }

    private static long pairKey(int first, int second) {
        return ((long) first << 21) | second;
    }

    private static boolean in(int[] ranges, int cp) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (cp > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    private static int[] flat(List<int[]> ranges) {
        if (ranges == null) {
            throw new IllegalStateException(RESOURCE + " lacks a section");
        }
        List<int[]> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[] out = new int[sorted.size() * 2];
        for (int i = 0; i < sorted.size(); i++) {
            out[2 * i] = sorted.get(i)[0];
            out[2 * i + 1] = sorted.get(i)[1];
        }
        return out;
    }

    private static Unicode9 load() {
        Map<String, List<int[]>> ranges = new HashMap<>();
        List<int[]> ccc = new ArrayList<>();
        Map<Integer, int[]> canonical = new HashMap<>();
        Map<Integer, int[]> compatibility = new HashMap<>();
        Map<Long, Integer> composites = new HashMap<>();
        try (InputStream in = Unicode9.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "ccc" -> {
                        int[] r = range(f[1]);
                        ccc.add(new int[] {r[0], r[1], Integer.parseInt(f[2])});
                    }
                    case "decomp" -> canonical.put(hex(f[1]), hexes(f, 2));
                    case "compat" -> compatibility.put(hex(f[1]), hexes(f, 2));
                    case "compose" -> composites.put(pairKey(hex(f[1]), hex(f[2])), hex(f[3]));
                    default -> ranges.computeIfAbsent(f[0], k -> new ArrayList<>()).add(range(f[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        ccc.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[] cccRanges = new int[ccc.size() * 3];
        for (int i = 0; i < ccc.size(); i++) {
            System.arraycopy(ccc.get(i), 0, cccRanges, 3 * i, 3);
        }
        return new Unicode9(ranges, cccRanges, canonical, compatibility, composites);
    }

    private static int[] range(String s) {
        int dots = s.indexOf("..");
        return dots < 0 ? new int[] {hex(s), hex(s)} : new int[] {hex(s.substring(0, dots)), hex(s.substring(dots + 2))};
    }

    private static int hex(String s) {
        return Integer.parseInt(s, 16);
    }

    private static int[] hexes(String[] f, int from) {
        return Arrays.stream(f, from, f.length).mapToInt(Unicode9::hex).toArray();
    }
}
