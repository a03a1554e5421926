"""Builds the long-document retrieval benchmark from the Python library reference that Debian ships.

usage: python3 make_corpus.py OUT_DIR [HTML_DIR]

  HTML_DIR  the python3-doc package's HTML (default /usr/share/doc/python3-doc/html;
            install it with: apt-get install python3-doc)
  OUT_DIR   receives documents.jsonl ({"id", "text"}), queries.jsonl and provenance.json

Documents: the pages of library/*.html (their main text, as a reader sees it), in file-name order. Every second
page (the 1st, 3rd, ...) starts with the licence boilerplate of the same package: the PSF licence agreement
from license.html, cut to about 3,000 characters (some 600 tokens), then a blank line. Pages of fewer than
8,000 characters are left out (the benchmark wants 1,500+ tokens per document).

Queries: a documented function, method or class of a page is looked for by the first sentence of its
description, in its own words; that sentence is removed from the document, so the query is never found
verbatim and what answers it is the rest of the entry (signature, other sentences, examples). Per page, up to
three entries are picked: the first, the middle and the last of those whose first sentence has 6 to 40 words
and is not shared by another entry of the corpus, so answers sit anywhere in the document: behind the licence,
before and after token 512, past token 4,096. Each query records its answer's span (the entry, from its
signature to the end of its first paragraph) in the document's characters.

Everything is deterministic: the same package version gives the same files, byte for byte.
"""
import html
import html.parser
import json
import os
import re
import subprocess
import sys

out_dir = sys.argv[1]
html_dir = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/doc/python3-doc/html"
MIN_CHARS = 8000
LICENCE_CHARS = 3000
ENTRY_KINDS = {"py function", "py method", "py class"}
BLOCKS = {"p", "div", "section", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr",
          "table", "pre", "blockquote", "figure", "figcaption"}


class PageText(html.parser.HTMLParser):
    """The text of a Sphinx page's main body, with the character spans of its API entries."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []            # characters written
        self.length = 0
        self.pending = ""        # white space waiting for the next character
        self.depth = 0           # open tags inside the main body (0: outside)
        self.skip = 0            # inside a headerlink or a script
        self.entries = []        # finished entries: dicts with start, para_start, para_end, first paragraph
        self.stack = []          # open <dl> entries: [kind or None, entry dict or None, dd depth, in first p]
        self.marks = []          # (dict, key): set to the offset of the next character written

    def write(self, text):
        for c in text:
            if c.isspace():
                if not self.pending:
                    self.pending = " "
                continue
            if self.length and self.pending:
                self.out.append(self.pending)
                self.length += len(self.pending)
            self.pending = ""
            for d, k in self.marks:
                d[k] = self.length
            self.marks = []
            self.out.append(c)
            self.length += 1

    def block(self):
        self.pending = "\n\n"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.depth == 0:
            if tag == "div" and a.get("role") == "main":
                self.depth = 1
            return
        self.depth += 1
        if tag in ("script", "style") or (tag == "a" and "headerlink" in (a.get("class") or "")):
            self.skip += 1
        if tag == "dl":
            kind = a.get("class") or ""
            entry = {"kind": kind} if kind in ENTRY_KINDS else None
            self.stack.append([entry, None])
        if self.stack:
            entry, state = self.stack[-1]
            if entry is not None and tag == "dt" and "start" not in entry:
                self.marks.append((entry, "start"))
                entry["name"] = a.get("id", "")
            if entry is not None and tag == "dd" and state is None:
                self.stack[-1][1] = ("dd", self.depth)
            if entry is not None and tag == "p" and state is not None and state[0] == "dd" and state[1] == self.depth - 1:
                self.stack[-1][1] = ("p", self.depth)
                self.marks.append((entry, "para_start"))
                entry["para"] = []
        if tag == "br":
            self.pending = "\n" if self.pending != "\n\n" else self.pending
        elif tag in BLOCKS:
            self.block()

    def handle_endtag(self, tag):
        if self.depth == 0:
            return
        if self.stack:
            entry, state = self.stack[-1]
            if entry is not None and state is not None and state[0] == "p" and tag == "p" and state[1] == self.depth:
                entry["para_end"] = self.length
                self.stack[-1][1] = ("done", 0)
            if tag == "dl":
                self.stack.pop()
                if entry is not None and "para_end" in entry:
                    self.entries.append(entry)
        if tag in ("script", "style") or (tag == "a" and self.skip and tag == "a"):
            self.skip = max(0, self.skip - 1)
        if tag in BLOCKS:
            self.block()
        self.depth -= 1

    def handle_data(self, data):
        if self.depth == 0 or self.skip:
            return
        self.write(data)
        for entry, state in self.stack:
            if entry is not None and state is not None and state[0] == "p":
                entry["para"].append(data)

    def text(self):
        return "".join(self.out)


def page(path):
    p = PageText()
    p.feed(open(path, encoding="utf-8").read())
    p.close()
    return p.text(), p.entries


def licence():
    text, _ = page(os.path.join(html_dir, "license.html"))
    start = text.index("PSF LICENSE AGREEMENT FOR PYTHON")
    cut = text[start:start + LICENCE_CHARS]
    return cut[:cut.rfind(".") + 1]


def first_sentence(paragraph):
    p = re.sub(r"\s+", " ", paragraph).strip()
    m = re.search(r"(?<=[.!?])\s+(?=[A-Z(])", p)
    return p[:m.start()] if m else p


header = licence()
pages = sorted(f for f in os.listdir(os.path.join(html_dir, "library")) if f.endswith(".html"))
raw = []
for i, name in enumerate(pages):
    text, entries = page(os.path.join(html_dir, "library", name))
    raw.append((name[:-len(".html")], text, entries))

# sentences shared by several entries (e.g. "Return a new instance.") cannot tell pages apart
counts = {}
for _, text, entries in raw:
    for e in entries:
        s = first_sentence(text[e["para_start"]:e["para_end"]])
        counts[s] = counts.get(s, 0) + 1

documents, queries = [], []
for name, text, entries in raw:
    candidates = []
    for e in entries:
        para = text[e["para_start"]:e["para_end"]]
        s = first_sentence(para)
        if 6 <= len(s.split()) <= 40 and counts[s] == 1 and re.sub(r"\s+", " ", para).strip().startswith(s):
            candidates.append((e, s))
    with_header = len(documents) % 2 == 0
    prefix = header + "\n\n" if with_header else ""
    if len(prefix) + len(text) < MIN_CHARS or len(candidates) < 3:
        continue
    picked = sorted({0, len(candidates) // 2, len(candidates) - 1})
    chosen = sorted((candidates[k] for k in picked), key=lambda c: c[0]["para_start"])
    # cut the chosen sentences out (the text may break lines inside them: match their words in order)
    parts, pos, delta, spans = [], 0, len(prefix), []
    for e, sentence in chosen:
        m = re.compile(r"\s+".join(re.escape(w) for w in sentence.split())).match(text, e["para_start"])
        assert m, (name, sentence)
        cut_end = m.end()
        while cut_end < len(text) and text[cut_end] == " ":
            cut_end += 1
        removed = cut_end - e["para_start"]
        spans.append((e["start"] + delta, e["para_end"] - removed + delta))   # in the document as written
        parts.append(text[pos:e["para_start"]])
        pos = cut_end
        delta -= removed
    parts.append(text[pos:])
    doc_id = "library/" + name
    documents.append({"id": doc_id, "text": prefix + "".join(parts)})
    for (e, sentence), (start, end) in zip(chosen, spans):
        queries.append({"query": sentence, "document": doc_id, "entry": e["name"], "answer_start": start,
                        "answer_end": end, "licence_header": with_header})

os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "documents.jsonl"), "w", encoding="utf-8") as f:
    for d in documents:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
with open(os.path.join(out_dir, "queries.jsonl"), "w", encoding="utf-8") as f:
    for q in queries:
        f.write(json.dumps(q, ensure_ascii=False) + "\n")
version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "python3.11-doc"], capture_output=True,
                         text=True).stdout or "unknown"
json.dump({"source": html_dir, "package": "python3.11-doc " + version, "documents": len(documents),
           "queries": len(queries), "licence_header_characters": len(header)},
          open(os.path.join(out_dir, "provenance.json"), "w"), indent=1)
print(f"{len(documents)} documents, {len(queries)} queries in {out_dir}")
