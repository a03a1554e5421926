package org.lsg4j.search;

import org.lsg4j.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.List;

/**
 * The passages a document is cut into to show where it matched: windows of up to {@value #SENTENCES}
 * consecutive sentences and at most {@value #MAX_TOKENS} tokens, each overlapping the next by one
 * sentence; a sentence longer than that is cut into pieces of {@value #MAX_TOKENS} tokens. A sentence
 * ends at {@code .}, {@code !} or {@code ?} (and any closing quotes or brackets) before white space, and
 * at a blank line. Windows are made in token positions of the document's encoding, so only what the
 * model read is in a passage.
 */
final class Passages {
    static final int SENTENCES = 3;
    static final int MAX_TOKENS = 96;

    private Passages() {
    }

    /** The windows of a text's encoding (special tokens left out). */
    static List<Passage> windows(String text, Encoding encoding) {
        List<Passage> sentences = sentenceTokens(sentences(text), encoding);
        List<Passage> out = new ArrayList<>();
        int i = 0;
        while (i < sentences.size()) {
            Passage first = sentences.get(i);
            if (first.toToken() - first.fromToken() > MAX_TOKENS) {
                for (int from = first.fromToken(); from < first.toToken(); from += MAX_TOKENS) {
                    int to = Math.min(first.toToken(), from + MAX_TOKENS);
                    out.add(new Passage(from, to, encoding.start(from), encoding.end(to - 1)));
                }
                i++;
                continue;
            }
            int j = i + 1;
            while (j < sentences.size() && j - i < SENTENCES
                    && sentences.get(j).toToken() - first.fromToken() <= MAX_TOKENS) {
                j++;
            }
            Passage last = sentences.get(j - 1);
            out.add(new Passage(first.fromToken(), last.toToken(), first.start(), last.end()));
            if (j == sentences.size()) {
                break;
            }
            i = j - i >= 2 ? j - 1 : j;
        }
        return out;
    }

    /** The sentences of a text, as {@code {start, end}} character spans without surrounding white space. */
    static List<int[]> sentences(String text) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int end = -1;
            if (c == '.' || c == '!' || c == '?') {
                int j = i + 1;
                while (j < n && "\"')]}’”»".indexOf(text.charAt(j)) >= 0) {
                    j++;
                }
                if (j == n || Character.isWhitespace(text.charAt(j))) {
                    end = j;
                }
            } else if (c == '\n' && blankLineAfter(text, i)) {
                end = i;
            }
            if (end >= 0) {
                add(out, text, start, end);
                start = end;
                i = Math.max(i, end - 1);
            }
        }
        add(out, text, start, n);
        return out;
    }

    private static boolean blankLineAfter(String text, int newline) {
        for (int j = newline + 1; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '\n') {
                return true;
            }
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return false;
    }

    private static void add(List<int[]> out, String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start < end) {
            out.add(new int[] {start, end});
        }
    }

    /** Each sentence's tokens: those of the text (sequence 0) that start inside it; sentences without any dropped. */
    private static List<Passage> sentenceTokens(List<int[]> sentences, Encoding e) {
        List<Passage> out = new ArrayList<>();
        int t = 0;
        int n = e.length();
        for (int[] s : sentences) {
            while (t < n && (e.sequenceId(t) != 0 || e.start(t) < s[0])) {
                t++;
            }
            int from = t;
            while (t < n && e.sequenceId(t) == 0 && e.start(t) < s[1]) {
                t++;
            }
            if (t > from) {
                out.add(new Passage(from, t, s[0], Math.min(s[1], Math.max(s[0], e.end(t - 1)))));
            }
        }
        return out;
    }
}
