#!/usr/bin/env python3
"""Builds the real-model demonstration of `lsg train`: the Linux kernel's documentation, as Debian's
linux-doc package installs it, labelled by the part of the documentation a page belongs to.

usage: python3 tools/train/kernel_docs/make.py OUT_DIR [DOC_DIR] [--per-class N] [--test-share F]

  DOC_DIR  the package's reStructuredText sources (default /usr/share/doc/linux-doc-6.1/Documentation;
           install them with: apt-get install linux-doc-6.1)
  OUT_DIR  receives train.jsonl and test.jsonl ({"id", "text", "label"}) and provenance.json

A document is one .rst page (gzip-compressed or not) of one of the CLASSES folders below, read as plain
text: directive lines (".. note::", ".. code-block:: c"), section underlines, substitution and label
lines and the SPDX licence tag are dropped; everything else, code included, is kept as the reader sees
it. Pages of fewer than MIN_CHARS characters of such text are left out (about 1,800 WordPiece tokens:
the demonstration wants documents longer than a 512-token model reads). The label is the top folder.

Per class, at most --per-class pages (default 36) are kept and --test-share of them (default 1/3) are
held out, both chosen by the SHA-256 of the page's path, so the split is the same on every machine for
the same package version and never depends on the order the file system lists files in.
"""
import argparse
import gzip
import hashlib
import json
import os
import re

CLASSES = ("admin-guide", "core-api", "driver-api", "filesystems", "networking", "userspace-api")
MIN_CHARS = 9000
DIRECTIVE = re.compile(r"^\s*\.\.\s+(\S+::|_[^:]+:|\|[^|]+\|)")   # .. note::, .. _label:, .. |sub|
UNDERLINE = re.compile(r"^\s*([=\-~^\"'`#*+.:_])\1{2,}\s*$")     # ==== ---- ~~~~ and the like
SPDX = re.compile(r"^\s*\.\.\s+SPDX-License-Identifier")


def page_text(raw):
    lines = []
    for line in raw.splitlines():
        if SPDX.match(line) or UNDERLINE.match(line):
            continue
        m = DIRECTIVE.match(line)
        if m:
            # keep what a directive says on its own line (a note's text, a title), not the marker
            rest = line[m.end():].strip()
            if rest and not m.group(1).startswith("_"):
                lines.append(rest)
            continue
        lines.append(line.rstrip())
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def read(path):
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as f:
        return f.read().decode("utf-8", errors="replace")


def digest(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("doc_dir", nargs="?", default="/usr/share/doc/linux-doc-6.1/Documentation")
    ap.add_argument("--per-class", type=int, default=36)
    ap.add_argument("--test-share", type=float, default=1 / 3)
    a = ap.parse_args()
    if not os.path.isdir(a.doc_dir):
        raise SystemExit(a.doc_dir + ": not a folder; install the kernel documentation with: "
                         "apt-get install linux-doc-6.1")
    train, test, counts = [], [], {}
    for label in CLASSES:
        pages = []
        for root, dirs, files in os.walk(os.path.join(a.doc_dir, label)):
            dirs.sort()
            for name in sorted(files):
                if not (name.endswith(".rst") or name.endswith(".rst.gz")):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, a.doc_dir)
                if rel.endswith(".gz"):
                    rel = rel[:-3]
                text = page_text(read(path))
                if len(text) >= MIN_CHARS:
                    pages.append((digest(rel), rel, text))
        pages.sort()
        kept = pages[:a.per_class]
        held = round(len(kept) * a.test_share)
        for i, (_, rel, text) in enumerate(kept):
            (test if i < held else train).append({"id": rel, "text": text, "label": label})
        counts[label] = {"pages": len(pages), "train": len(kept) - held, "test": held}
    os.makedirs(a.out_dir, exist_ok=True)
    for name, rows in (("train.jsonl", train), ("test.jsonl", test)):
        rows.sort(key=lambda r: r["id"])
        with open(os.path.join(a.out_dir, name), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(a.out_dir, "provenance.json"), "w") as f:
        json.dump({"source": a.doc_dir, "classes": counts, "min_chars": MIN_CHARS,
                   "per_class": a.per_class, "test_share": a.test_share}, f, indent=1)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
