package org.lsg4j.search;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The text of an HTML page, as a reader sees it: markup, comments, scripts and styles left out, block
 * elements (paragraphs, headings, list items, table rows, ...) ending a paragraph, {@code <br>} ending a
 * line, character references decoded, runs of spaces collapsed. Meant for embedding and for showing
 * passages, not for rendering: no CSS, no DOM repair. Malformed markup degrades to its text.
 */
final class HtmlText {
    /** Elements whose whole content is left out. */
    private static final Set<String> SKIPPED = Set.of("script", "style", "template", "svg", "noscript");
    /** Elements that start and end a paragraph. */
    private static final Set<String> BLOCKS = Set.of("p", "div", "section", "article", "aside", "header", "footer",
            "nav", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table",
            "thead", "tbody", "pre", "blockquote", "figure", "figcaption", "form", "hr", "title", "body", "html");
    private static final Map<String, String> ENTITIES = Map.ofEntries(Map.entry("amp", "&"), Map.entry("lt", "<"),
            Map.entry("gt", ">"), Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("nbsp", " "),
            Map.entry("copy", "©"), Map.entry("reg", "®"), Map.entry("trade", "™"), Map.entry("mdash", "—"),
            Map.entry("ndash", "–"), Map.entry("hellip", "…"), Map.entry("lsquo", "‘"), Map.entry("rsquo", "’"),
            Map.entry("ldquo", "“"), Map.entry("rdquo", "”"), Map.entry("laquo", "«"), Map.entry("raquo", "»"),
            Map.entry("para", "¶"), Map.entry("sect", "§"), Map.entry("middot", "·"), Map.entry("bull", "•"),
            Map.entry("times", "×"), Map.entry("deg", "°"), Map.entry("shy", ""), Map.entry("zwsp", ""));

    private HtmlText() {
    }

    static String of(String html) {
        StringBuilder out = new StringBuilder(html.length() / 2);
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<') {
                if (html.startsWith("<!--", i)) {
                    int end = html.indexOf("-->", i + 4);
                    i = end < 0 ? n : end + 3;
                    continue;
                }
                int end = tagEnd(html, i);
                if (end < 0) {   // a lone '<': text
                    out.append(c);
                    i++;
                    continue;
                }
                String name = tagName(html, i + 1, end);
                boolean closing = i + 1 < n && html.charAt(i + 1) == '/';
                i = end + 1;
                if (!closing && SKIPPED.contains(name)) {
                    int close = indexOfIgnoreCase(html, "</" + name, i);
                    int closeEnd = close < 0 ? -1 : tagEnd(html, close);
                    i = closeEnd < 0 ? n : closeEnd + 1;
                } else if (name.equals("br")) {
                    out.append('\n');
                } else if (BLOCKS.contains(name)) {
                    out.append("\n\n");
                } else if (name.equals("td") || name.equals("th")) {
                    out.append(' ');
                }
            } else if (c == '&') {
                int semi = html.indexOf(';', i);
                String decoded = semi > i && semi - i <= 10 ? entity(html.substring(i + 1, semi)) : null;
                if (decoded != null) {
                    out.append(decoded);
                    i = semi + 1;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return tidy(out);
    }

    /** The index of the '>' that ends the tag starting at {@code lt}, skipping quoted attribute values; -1 if none. */
    private static int tagEnd(String html, int lt) {
        if (lt + 1 >= html.length() || !(Character.isLetter(html.charAt(lt + 1)) || "/!?".indexOf(html.charAt(lt + 1)) >= 0)) {
            return -1;
        }
        char quote = 0;
        for (int j = lt + 1; j < html.length(); j++) {
            char c = html.charAt(j);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return j;
            }
        }
        return -1;
    }

    private static int indexOfIgnoreCase(String s, String what, int from) {
        for (int j = s.indexOf('<', from); j >= 0; j = s.indexOf('<', j + 1)) {
            if (s.regionMatches(true, j, what, 0, what.length())) {
                return j;
            }
        }
        return -1;
    }

    private static String tagName(String html, int from, int end) {
        int i = from < end && html.charAt(from) == '/' ? from + 1 : from;
        int j = i;
        while (j < end && (Character.isLetterOrDigit(html.charAt(j)) || html.charAt(j) == '-')) {
            j++;
        }
        return html.substring(i, j).toLowerCase(Locale.ROOT);
    }

    private static String entity(String name) {
        if (name.startsWith("#")) {
            try {
                int cp = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(cp) && cp != 0 ? Character.toString(cp) : "\uFFFD";
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return ENTITIES.get(name);
    }

    /** Spaces and tabs collapsed to one space, lines stripped, at most one blank line in a row, no blank ends. */
    private static String tidy(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        int newlines = 0;
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                newlines++;
                space = false;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u00A0') {
                space = true;
            } else {
                if (!out.isEmpty()) {
                    if (newlines > 0) {
                        out.append(newlines > 1 ? "\n\n" : "\n");
                    } else if (space) {
                        out.append(' ');
                    }
                }
                newlines = 0;
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }
}
