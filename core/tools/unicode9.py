#!/usr/bin/env python3
"""Writes core/src/main/resources/org/lsg4j/tokenizer/unicode-9.0.0.txt, the Unicode 9.0.0 character data the
Rust tokenizers library uses through two crates (both frozen at Unicode 9.0.0):

  * unicode-normalization-alignments 0.1.12 (NFC/NFD/NFKC/NFKD with alignments, StripAccents):
    canonical combining classes, full canonical and compatibility decompositions, primary composites,
    combining marks;
  * unicode_categories 0.1.1 (BertNormalizer, BertPreTokenizer): general categories Cc, Cf, Co, Mn and P*.

Java's own tables follow a newer Unicode version, so they would normalize and classify characters assigned
since 9.0.0 differently. Run with the two crates' source trees:

  tools/unicode9.py NORMALIZATION_CRATE_DIR CATEGORIES_CRATE_DIR > src/main/resources/org/lsg4j/tokenizer/unicode-9.0.0.txt
"""
import re
import sys


def chars(s):
    return [int(h, 16) for h in re.findall(r"\\u\{([0-9A-Fa-f]+)\}", s)]


def ranges(cps):
    cps = sorted(set(cps))
    out = []
    for cp in cps:
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def fmt_range(r):
    return "%X" % r[0] if r[0] == r[1] else "%X..%X" % (r[0], r[1])


def table(src, name):
    m = re.search(r"(?:const|static) " + name + r"\s*:[^=]*=\s*&\[(.*?)\];", src, re.S)
    if not m:
        sys.exit("no table " + name)
    return m.group(1)


def main(norm_dir, cat_dir):
    norm = open(norm_dir + "/src/tables.rs", encoding="utf-8").read()
    cats = open(cat_dir + "/src/tables.rs", encoding="utf-8").read()
    out = ["# Unicode 9.0.0 data of the Rust crates unicode-normalization-alignments 0.1.12 and unicode_categories",
           "# 0.1.1, written by core/tools/unicode9.py. Code points in hex; A..B is a closed range.",
           "# ccc RANGE CLASS | decomp CP FULL... | compat CP FULL... | compose FIRST SECOND COMPOSITE | mark RANGE",
           "# | Cc/Cf/Co/Mn/P RANGE"]
    by_class = {}
    for kv in re.findall(r"0x([0-9A-Fa-f]+)", table(norm, "CANONICAL_COMBINING_CLASS_KV")):
        v = int(kv, 16)
        by_class.setdefault(v & 0xFF, []).append(v >> 8)
    ccc = sorted((r, c) for c, cps in by_class.items() for r in ranges(cps))
    out += ["ccc %s %d" % (fmt_range(r), c) for r, c in ccc]
    for tag, name in (("decomp", "CANONICAL_DECOMPOSED_KV"), ("compat", "COMPATIBILITY_DECOMPOSED_KV")):
        entries = re.findall(r"\(0x([0-9A-Fa-f]+),\s*&\[(.*?)\]\)", table(norm, name))
        for cp, ds in sorted(entries, key=lambda e: int(e[0], 16)):
            out.append("%s %X %s" % (tag, int(cp, 16), " ".join("%X" % d for d in chars(ds))))
    pairs = []
    for key, c in re.findall(r"\(0x([0-9A-Fa-f]+),\s*'(\\u\{[0-9A-Fa-f]+\})'\)", table(norm, "COMPOSITION_TABLE_KV")):
        k = int(key, 16)
        pairs.append((k >> 16, k & 0xFFFF, chars(c)[0]))
    astral = re.search(r"fn composition_table_astral.*?\{(.*?)\n\}", norm, re.S).group(1)
    for a, b, c in re.findall(r"\('(\\u\{\w+\})',\s*'(\\u\{\w+\})'\)\s*=>\s*Some\('(\\u\{\w+\})'\)", astral):
        pairs.append((chars(a)[0], chars(b)[0], chars(c)[0]))
    out += ["compose %X %X %X" % p for p in sorted(pairs)]
    marks = [int(h, 16) for h in re.findall(r"0x([0-9A-Fa-f]+)", table(norm, "COMBINING_MARK_KV"))]
    out += ["mark " + fmt_range(r) for r in ranges(marks)]
    category_tables = {
        "Cc": ["OTHER_CONTROL"], "Cf": ["OTHER_FORMAT"], "Mn": ["MARK_NONSPACING"],
        "P": ["PUNCTUATION_CONNECTOR", "PUNCTUATION_DASH", "PUNCTUATION_CLOSE", "PUNCTUATION_FINAL_QUOTE",
              "PUNCTUATION_INITIAL_QUOTE", "PUNCTUATION_OTHER", "PUNCTUATION_OPEN"],
    }
    for cat, names in category_tables.items():
        cps = [cp for n in names for cp in chars(table(cats, n))]
        out += ["%s %s" % (cat, fmt_range(r)) for r in ranges(cps)]
    # is_other_private_use matches these three ranges before its table (which holds only their endpoints).
    out += ["Co E000..F8FF", "Co F0000..FFFFD", "Co 100000..10FFFD"]
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
