package org.lsg4j.tokenizer;

import org.lsg4j.LsgException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.Locale;

/**
 * SentencePiece's normalization rules compiled into its {@code precompiled_charsmap}: a Darts
 * double-array trie over UTF-8 bytes whose leaves point into a blob of NUL-terminated replacement
 * strings.
 *
 * <p>The blob is a little-endian u32 trie size in bytes, the trie's u32 units, then the
 * replacement strings (valid UTF-8). A unit packs a label (low 8 bits, plus bit 31), a leaf flag
 * (bit 8), an offset to the children ({@code unit >>> 10}, shifted left 8 more when bit 9 is set)
 * and, in a leaf's value unit, the replacement's byte index (low 31 bits).
 *
 * <p>As the reference, the text is walked by extended grapheme clusters: a cluster of fewer than 6
 * UTF-8 bytes is looked up whole; without a rule (or when longer) each of its characters is looked
 * up alone. A lookup takes the <em>first</em> leaf met while walking the key's bytes (the shortest
 * rule that is a prefix of the key) and replaces the whole key with it, even when the rule covers
 * only part of the key; a NUL byte ends the key. Kept as the reference does it, since models were
 * trained on that output. Immutable.
 */
final class PrecompiledNormalizer implements Normalizer {
    private final int[] trie;
    private final byte[] replacements;

    /**
     * @param charsmap the decoded {@code precompiled_charsmap}
     * @throws LsgException when the blob is malformed
     */
    PrecompiledNormalizer(byte[] charsmap) {
        if (charsmap.length < 4) {
            throw new LsgException("precompiled_charsmap is " + charsmap.length + " bytes, too short for its header");
        }
        ByteBuffer buf = ByteBuffer.wrap(charsmap).order(ByteOrder.LITTLE_ENDIAN);
        long trieBytes = buf.getInt() & 0xFFFFFFFFL;
        if (trieBytes / 4 * 4 + 4 > charsmap.length) {
            throw new LsgException("precompiled_charsmap announces a trie of " + trieBytes + " bytes but holds "
                    + (charsmap.length - 4));
        }
        trie = new int[(int) (trieBytes / 4)];
        for (int i = 0; i < trie.length; i++) {
            trie[i] = buf.getInt();
        }
        replacements = new byte[buf.remaining()];
        buf.get(replacements);
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(replacements));
        } catch (CharacterCodingException e) {
            throw new LsgException("precompiled_charsmap: the replacement strings are not valid UTF-8");
        }
        if (trie.length == 0) {
            throw new LsgException("precompiled_charsmap has an empty trie");
        }
    }

    @Override
    public Normalized normalize(Normalized n) {
        String text = n.text();
        Normalized.Edit edit = new Normalized.Edit(text.length() + 8);
        boolean modified = false;
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(text);
        int start = graphemes.first();
        for (int end = graphemes.next(); end != BreakIterator.DONE; start = end, end = graphemes.next()) {
            byte[] cluster = TextChars.utf8(text, start, end);
            String rule = cluster.length < 6 ? lookup(cluster) : null;
            if (rule != null) {
                replace(edit, text.codePointCount(start, end), rule);
                modified = true;
                continue;
            }
            for (int i = start; i < end; i += Character.charCount(text.codePointAt(i))) {
                int cp = text.codePointAt(i);
                String single = lookup(TextChars.utf8(text, i, i + Character.charCount(cp)));
                if (single != null) {
                    replace(edit, 1, single);
                    modified = true;
                } else {
                    edit.add(cp, 0);
                }
            }
        }
        return modified ? n.transform(edit, 0) : n;
    }

    /**
     * {@code oldCount} chars become {@code replacement}: its chars replace one each, the surplus is
     * inserted, and a shortfall is removed after the last char written so far (when nothing has
     * been written yet, the reference loses the removal: the next chars take the spans of the
     * removed ones).
     */
    private static void replace(Normalized.Edit edit, int oldCount, String replacement) {
        int newCount = replacement.codePointCount(0, replacement.length());
        for (int i = 0; i < replacement.length(); i += Character.charCount(replacement.codePointAt(i))) {
            edit.add(replacement.codePointAt(i), 0);
        }
        int diff = newCount - oldCount;
        if (diff > 0) {
            for (int k = edit.size - diff; k < edit.size; k++) {
                edit.changes[k] = 1;
            }
        } else if (diff < 0) {
            edit.addToLastChange(diff);
        }
    }

    /** The replacement of the first rule found along {@code key}, or null. */
    private String lookup(byte[] key) {
        long nodePos = 0;
        long unit = unit(0);
        if (unit < 0) {
            return null;
        }
        nodePos ^= offset(unit);
        for (byte b : key) {
            int c = b & 0xFF;
            if (c == 0) {
                break;
            }
            nodePos ^= c;
            unit = unit(nodePos);
            if (unit < 0 || label(unit) != c) {
                return null;
            }
            nodePos ^= offset(unit);
            if (hasLeaf(unit)) {
                long value = unit(nodePos);
                return value < 0 ? null : replacementAt((int) (value & 0x7FFFFFFFL));
            }
        }
        return null;
    }

    private long unit(long pos) {
        return pos >= 0 && pos < trie.length ? trie[(int) pos] & 0xFFFFFFFFL : -1;
    }

    private static boolean hasLeaf(long unit) {
        return ((unit >>> 8) & 1) == 1;
    }

    private static long label(long unit) {
        return unit & ((1L << 31) | 0xFF);
    }

    private static long offset(long unit) {
        return (unit >>> 10) << ((unit & (1L << 9)) >>> 6);
    }

    private String replacementAt(int index) {
        if (index > replacements.length) {
            return null;
        }
        int end = index;
        while (end < replacements.length && replacements[end] != 0) {
            end++;
        }
        return new String(replacements, index, end - index, StandardCharsets.UTF_8);
    }
}
