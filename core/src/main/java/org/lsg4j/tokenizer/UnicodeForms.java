package org.lsg4j.tokenizer;

import java.util.Arrays;

/**
 * NFD, NFKD, NFC and NFKC with spans, as the reference's normalizers compute them (the
 * unicode-normalization-alignments crate, Unicode 9.0.0). Each output char carries a change for
 * {@link Normalized#transform}: the first char of a character's decomposition replaces it (0), the
 * others are inserted (1); canonical reordering moves chars with their changes; a composition of
 * two chars adds their changes and subtracts one. The spans that follow from these changes are
 * the reference's, quirks included (reordered marks swap spans).
 */
final class UnicodeForms {
    private static final int S_BASE = 0xAC00;
    private static final int L_BASE = 0x1100;
    private static final int V_BASE = 0x1161;
    private static final int T_BASE = 0x11A7;
    private static final int L_COUNT = 19;
    private static final int V_COUNT = 21;
    private static final int T_COUNT = 28;
    private static final int N_COUNT = V_COUNT * T_COUNT;
    private static final int S_COUNT = L_COUNT * N_COUNT;

    /** Which form. */
    enum Form { NFD, NFKD, NFC, NFKC }

    private UnicodeForms() {
    }

    static Normalized apply(Normalized n, Form form) {
        boolean compatible = form == Form.NFKD || form == Form.NFKC;
        Normalized.Edit decomposed = decompose(n.text(), compatible);
        Normalized.Edit edit = form == Form.NFD || form == Form.NFKD ? decomposed : compose(decomposed);
        return unchanged(n.text(), edit) ? n : n.transform(edit, 0);
    }

    /** Whether {@code edit} writes {@code text} again, char for char (then the spans do not change either). */
    private static boolean unchanged(String text, Normalized.Edit edit) {
        int i = 0;
        for (int e = 0; e < edit.size; e++) {
            if (i >= text.length() || edit.changes[e] != 0 || text.codePointAt(i) != edit.codePoints[e]) {
                return false;
            }
            i += Character.charCount(edit.codePoints[e]);
        }
        return i == text.length();
    }

    /** Full decomposition of every char, then each run of non-starters stably sorted by combining class. */
    private static Normalized.Edit decompose(String text, boolean compatible) {
        Unicode9 u = Unicode9.get();
        Normalized.Edit out = new Normalized.Edit(text.length() + 8);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp <= 0x7F) {
                out.add(cp, 0);
            } else if (cp >= S_BASE && cp < S_BASE + S_COUNT) {
                int s = cp - S_BASE;
                out.add(L_BASE + s / N_COUNT, 0);
                out.add(V_BASE + (s % N_COUNT) / T_COUNT, 1);
                if (s % T_COUNT > 0) {
                    out.add(T_BASE + s % T_COUNT, 1);
                }
            } else {
                int[] d = compatible ? u.compatibilityDecomposition(cp) : null;
                if (d == null) {
                    d = u.canonicalDecomposition(cp);
                }
                if (d == null) {
                    out.add(cp, 0);
                } else {
                    for (int k = 0; k < d.length; k++) {
                        out.add(d[k], k == 0 ? 0 : 1);
                    }
                }
            }
        }
        sortNonStarterRuns(out, u);
        return out;
    }

    /** Stable insertion sort by combining class inside each maximal run of chars with a non-zero class. */
    private static void sortNonStarterRuns(Normalized.Edit e, Unicode9 u) {
        int[] ccc = new int[e.size];
        for (int i = 0; i < e.size; i++) {
            ccc[i] = u.combiningClass(e.codePoints[i]);
        }
        for (int i = 1; i < e.size; i++) {
            int c = ccc[i];
            if (c == 0) {
                continue;
            }
            int cp = e.codePoints[i];
            int change = e.changes[i];
            int j = i - 1;
            while (j >= 0 && ccc[j] > c) {
                ccc[j + 1] = ccc[j];
                e.codePoints[j + 1] = e.codePoints[j];
                e.changes[j + 1] = e.changes[j];
                j--;
            }
            ccc[j + 1] = c;
            e.codePoints[j + 1] = cp;
            e.changes[j + 1] = change;
        }
    }

    /**
     * Canonical composition of a decomposed sequence, step for step as the reference's recomposer:
     * a starter waits as the composee; a following char combines with it unless blocked by a char
     * of equal or higher class in between; blocked or uncombinable chars are held back and written
     * after the composee once the next starter (or the end) arrives.
     */
    private static Normalized.Edit compose(Normalized.Edit in) {
        Unicode9 u = Unicode9.get();
        Normalized.Edit out = new Normalized.Edit(in.size);
        int[] heldCps = new int[8];
        int[] heldChanges = new int[8];
        int held = 0;
        boolean hasComposee = false;
        int composee = 0;
        int composeeChange = 0;
        int lastClass = -1;   // -1: no char held since the composee
        for (int i = 0; i < in.size; i++) {
            int ch = in.codePoints[i];
            int change = in.changes[i];
            int cls = u.combiningClass(ch);
            if (!hasComposee) {
                if (cls != 0) {
                    out.add(ch, change);
                } else {
                    hasComposee = true;
                    composee = ch;
                    composeeChange = change;
                }
                continue;
            }
            if (lastClass >= 0 && lastClass >= cls) {
                if (cls == 0) {
                    out.add(composee, composeeChange);
                    for (int h = 0; h < held; h++) {
                        out.add(heldCps[h], heldChanges[h]);
                    }
                    held = 0;
                    composee = ch;
                    composeeChange = change;
                    lastClass = -1;
                    continue;
                }
            } else {
                int r = composePair(u, composee, ch);
                if (r >= 0) {
                    composee = r;
                    composeeChange = composeeChange + change - 1;
                    continue;
                }
                if (lastClass < 0 && cls == 0) {
                    out.add(composee, composeeChange);
                    composee = ch;
                    composeeChange = change;
                    continue;
                }
            }
            if (held == heldCps.length) {
                heldCps = Arrays.copyOf(heldCps, held * 2);
                heldChanges = Arrays.copyOf(heldChanges, held * 2);
            }
            heldCps[held] = ch;
            heldChanges[held] = change;
            held++;
            lastClass = cls;
        }
        if (hasComposee) {
            out.add(composee, composeeChange);
        }
        for (int h = 0; h < held; h++) {
            out.add(heldCps[h], heldChanges[h]);
        }
        return out;
    }

    private static int composePair(Unicode9 u, int a, int b) {
        if (a >= L_BASE && a < L_BASE + L_COUNT && b >= V_BASE && b < V_BASE + V_COUNT) {
            return S_BASE + (a - L_BASE) * N_COUNT + (b - V_BASE) * T_COUNT;
        }
        if (a >= S_BASE && a < S_BASE + S_COUNT && b > T_BASE && b < T_BASE + T_COUNT && (a - S_BASE) % T_COUNT == 0) {
            return a + (b - T_BASE);
        }
        return u.compose(a, b);
    }
}
