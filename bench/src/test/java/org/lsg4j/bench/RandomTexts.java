package org.lsg4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random texts built from the pieces that make tokenization hard: words in many scripts,
 * contractions, numbers, punctuation of every Unicode class, every White_Space character,
 * controls, CJK, emoji sequences, combining marks (composed and decomposed), compatibility
 * characters NFKC folds, case mappings with surprises (İ, ß, final sigma), the special tokens of
 * the tokenizer under test written in the text, very long words, and random code points (assigned
 * ones, including characters newer than Unicode 9.0.0). About one text in 40 is empty.
 */
final class RandomTexts {
    private static final String[] PIECES = {
        // words, cases, contractions, numbers
        "the", "The", " cat", "Hello", "world", "WORLD", "don't", "It'S", "we'll", "I'm", "you've", "'re", "'",
        "2024", "3.14", "1,000", "12,", "x86_64", "naïve", "Café", "CAFÉ", "résumé", "Ångström", "Straße", "STRASSE",
        "İstanbul", "ıi", "ΟΔΟΣ", "Σσς", "Ǆ", "ǅ", "ﬁnance", "ﬀ", "Ω", "Å", "K", "µ", "½", "①", "²", "㎏", "™",
        "``quoted''", "``", "''", "\"", "«", "»", "„", "“", "”", "‘", "’",
        // punctuation of every class: Pc Pd Ps Pe Pi Pf Po, symbols
        "_", "‿", "⁀", "-", "–", "—", "‐", "(", ")", "[", "]", "{", "}", "⁅", "⁆", "〈", "〉", "「", "」", "!", "?", "...",
        "…", "¿", "¡", "؟", "、", "。", "·", "※", "‼", "⸘", "⹂", "⹎", "#", "@user", "http://a.b/c?d=e", "+", "=", "<", ">",
        "$", "€", "£", "¥", "%", "&", "*", "/", "\\", "|", "^", "`", "~", "§", "¶", "©", "°", "±", "×", "÷",
        // whitespace: every White_Space character, and runs
        " ", "  ", "   ", "\t", "\n", "\r\n", "\u000b", "\u000c", "\r", "\u0085", "\u00a0", "\u1680", "\u2000", "\u2001",
        "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029",
        "\u202f", "\u205f", "\u3000", "\u200b", "\u180e", "\ufeff", "\u2060",
        // controls and specials of the alphabet
        "\u0000", "\u0001", "\u0007", "\u001f", "\u007f", "\u0080", "\u009f", "\u00ad", "\u200d", "\u200e", "\u202e",
        "\ufffd", "\ue000", "Ġ", "Ċ", "▁", "▁▁", "##", "##ing",
        // scripts
        "東京", "日本語", "中文", "㐀", "𠀀", "한국어", "ㄱ", "Привет", "Ελληνικά", "مرحبا", "مَرْحَبًا", "שלום", "שָׁלוֹם",
        "नमस्ते", "क्षि", "ไทย", "ภาษาไทย", "ᄀ", "ᅡ", "ᆨ", "ကြ", "ᚠᛇ", "ⲁ",
        // combining marks, composed and decomposed
        "e\u0301", "é", "a\u0308\u0301", "a\u0301\u0308", "o\u0323\u0302", "\u1ec7", "\u0301", "\u0345", "\u0f73", "\u0f71\u0f72",
        "s\u0323\u0307", "\u1e9b\u0323", "A\u030a", "\u212b", "\u0344", "q\u0307\u0323", "\u0958", "\uac00\u11a8",
        "\u1100\u1161\u11a8", "\u0e33", "\u0e4d\u0e32",
        // emoji
        "😀", "👍🏽", "👨‍👩‍👧", "🇫🇷", "🏳️‍🌈", "1️⃣", "❤️", "☃", "\ud83e\udd72",
        // fullwidth and compatibility forms
        "ＡＢＣ", "１２３", "！", "ｶﾀｶﾅ", "ﾞ", "㈱", "㍿", "ﷺ", "ﭐ",
    };
    private static final String LONG_LETTERS = "abcdefghijklmnopqrstuvwxyzéèçàΩΔж東";

    private final List<String> pieces;

    /** @param extra pieces of the tokenizer under test (its special tokens, their lowercase, ...) */
    RandomTexts(String... extra) {
        pieces = new ArrayList<>(Arrays.asList(PIECES));
        pieces.addAll(Arrays.asList(extra));
    }

    String next(SplittableRandom random) {
        if (random.nextInt(40) == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        int parts = 1 + random.nextInt(12);
        for (int p = 0; p < parts; p++) {
            int roll = random.nextInt(16);
            if (roll == 0) {
                b.appendCodePoint(randomCodePoint(random));
            } else if (roll == 1 && random.nextInt(4) == 0) {
                b.append(longWord(random));
            } else {
                b.append(pieces.get(random.nextInt(pieces.size())));
            }
            if (random.nextInt(3) == 0) {
                b.append(' ');
            }
        }
        return b.toString();
    }

    private static String longWord(SplittableRandom random) {
        int n = 60 + random.nextInt(120);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(LONG_LETTERS.charAt(random.nextInt(LONG_LETTERS.length())));
        }
        return b.toString();
    }

    private static int randomCodePoint(SplittableRandom random) {
        int cp;
        do {
            cp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x110000);
                case 1 -> 0x1F000 + random.nextInt(0x1000);
                default -> random.nextInt(0x3000);
            };
        } while (Character.getType(cp) == Character.SURROGATE || Character.getType(cp) == Character.UNASSIGNED);
        return cp;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> b.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp) : String.format("\\u{%x}", cp)));
        return b.append('"').toString();
    }
}
