#!/usr/bin/env python3
"""Makes LSG parity cases with the PyTorch reference (see README.md).

usage: /usr/bin/python3 make_cases.py --reference "$(bash /work/shared/reference/setup.sh)" --out DIR [--only REGEX]
"""
import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from refcases import catalog, conversion, forward  # noqa: E402
from refcases.reference import Reference  # noqa: E402


def write_index(path, ref, entries):
    index = dict(set="lsg4j reference cases (tools/reference-cases)", reference=ref.version, count=len(entries),
                 cases=sorted(entries.values(), key=lambda e: e["name"]))
    with open(path + ".tmp", "w") as f:
        json.dump(index, f, indent=2)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reference", required=True, help="the folder bash /work/shared/reference/setup.sh prints")
    ap.add_argument("--out", required=True, help="where the case folders and index.json go")
    ap.add_argument("--only", help="make only the cases whose name matches this regular expression")
    ap.add_argument("--list", action="store_true", help="list the case names and stop")
    ap.add_argument("--fuzz", type=int, default=40, help="seeded random cases per family (default 40)")
    ap.add_argument("--set", choices=["all", "extra"], default="all",
                    help="all: every case; extra: the small cases committed as core's lsg-extra fixtures")
    args = ap.parse_args()
    cases = catalog.all_cases(args.fuzz) if args.set == "all" else dict(forward=catalog.extra_fixtures(), conversion=[])
    chosen = [(k, c) for k in ("forward", "conversion") for c in cases[k]
              if not args.only or re.search(args.only, c.name)]
    names = [c.name for _, c in chosen]
    assert len(names) == len(set(names)), "duplicate case names"
    if args.list:
        print("\n".join(names))
        return
    ref = Reference(args.reference)
    os.makedirs(args.out, exist_ok=True)
    index_path = os.path.join(args.out, "index.json")
    entries = {}
    if os.path.exists(index_path):
        entries = {e["name"]: e for e in json.load(open(index_path))["cases"]}
    start = time.time()
    for kind, c in chosen:
        entry = (forward if kind == "forward" else conversion).make(ref, c, args.out)
        entry["description"] = getattr(c, "description", "")
        entries[c.name] = entry
        print("%-50s %s" % (c.name, "refused: " + entry["expect_error"]["type"] if entry["expect_error"] else "ok"),
              flush=True)
        write_index(index_path, ref, entries)   # after every case, so that a failure keeps what was made
    print("%d cases in %.0f s" % (len(chosen), time.time() - start))


if __name__ == "__main__":
    main()
