#!/usr/bin/env python3
"""Runs lsg4j on the cases make_cases.py wrote and reports every mismatch.

usage: python3 check_cases.py --cases DIR [--jar cli/target/lsg.jar] [--only REGEX] [--jobs 2] [--report FILE]

Forward cases: `lsg forward --hidden-states --compare` (exit 3 on a mismatch, tolerance 2e-5 + 2e-5|ref|);
a case the reference refuses must be refused with exit 2. Conversion cases: the reference's converted
model run by lsg4j; then `lsg convert` on input/ with the same arguments, every tensor compared with
the reference's output/ (|a - b| <= 1e-6; with random_global_init only global row 0, which is
deterministic) and every config.json key but _name_or_path; then lsg4j's own converted model run on the inputs
(deterministic conversions only). Needs a built jar (mvn -B -q -ntp install -DskipTests).
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refcases import st  # noqa: E402
from refcases.forward import LSG_KEYS  # noqa: E402

JAVA = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64") + "/bin/java"
CONFIG_KEYS = LSG_KEYS + ["max_position_embeddings", "architectures", "model_type", "base_model_prefix", "auto_map"]


def lsg(jar, *args):
    cmd = [JAVA, "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-jar", jar] + [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True)
    err = "\n".join(l for l in p.stderr.splitlines() if "incubator modules" not in l)
    return p.returncode, p.stdout, err


def forward(jar, model, case_dir, tmp, hidden=True):
    out = os.path.join(tmp, "out.safetensors")
    args = ["forward", "--model", model, "--inputs", os.path.join(case_dir, "inputs.safetensors"), "--output", out,
            "--compare", os.path.join(case_dir, "outputs.safetensors")]
    if hidden:
        args.append("--hidden-states")
    rc, so, se = lsg(jar, *args)
    bad = [l for l in so.splitlines() if l.split()[1:2] != ["ok"]]
    return rc, bad, se.strip()


def check_forward(jar, case_dir, info, tmp):
    err = info.get("expect_error")
    rc, bad, se = forward(jar, case_dir, case_dir, tmp, info.get("call", {}).get("output_hidden_states", True))
    if err:
        ok = rc == 2
        return dict(ok=ok, detail="refused as expected: " + se if ok else
                    "reference refuses (%s: %s) but lsg exit %d %s" % (err["type"], err["message"][:120], rc,
                                                                       (bad or [se])[:3]))
    if rc == 0:
        return dict(ok=True)
    return dict(ok=False, detail="exit %d: %s" % (rc, "; ".join(bad[:6]) if bad else se[:400]))


def convert_args(info, out):
    call = info["converter_call"]
    a = call["arguments"]
    args = ["convert", "--model", None, "--output", out, "--max-length", a["max_sequence_length"],
            "--global-positional-stride", a["global_positional_stride"], "--seed", a["seed"]]
    names = dict(block_size="--block-size", sparse_block_size="--sparse-block-size",
                 sparsity_factor="--sparsity-factor", sparsity_type="--sparsity-type",
                 num_global_tokens="--num-global-tokens")
    for k, v in call["model_kwargs"].items():
        if k in names:
            args += [names[k], v]
        else:
            args += ["--config", "%s=%s" % (k, json.dumps(v))]
    if a["random_global_init"]:
        args.append("--random-global-init")
    if a["keep_first_global_token"]:
        args.append("--keep-first-global-token")
    if a["resize_lsg"]:
        args.append("--resize-lsg")
    if not a["use_token_ids"]:
        args.append("--no-token-ids")
    return args


def compare_weights(ref_dir, our_dir, random_rows):
    ref = st.read(os.path.join(ref_dir, "model.safetensors"))
    ours = st.read(os.path.join(our_dir, "model.safetensors"))
    problems = []
    for k in sorted(set(ref) | set(ours)):
        if k not in ours:
            problems.append("missing tensor " + k)
            continue
        if k not in ref:
            problems.append("extra tensor " + k)
            continue
        a, b = ref[k], ours[k]
        if a.shape != b.shape:
            problems.append("%s shape %s, reference %s" % (k, list(b.shape), list(a.shape)))
            continue
        if random_rows and k.endswith("embeddings.global_embeddings.weight"):
            a, b = a[:1], b[:1]
        d = np.abs(a.astype(np.float64) - b.astype(np.float64))
        if d.size and d.max() > 1e-6:
            i = np.unravel_index(d.argmax(), d.shape)
            problems.append("%s differs by %.3g at %s (ours %r, reference %r)" % (k, d.max(), list(i), b[i], a[i]))
    ref_cfg = json.load(open(os.path.join(ref_dir, "config.json")))
    our_cfg = json.load(open(os.path.join(our_dir, "config.json")))
    for k in CONFIG_KEYS + sorted(set(ref_cfg) - set(CONFIG_KEYS) - {"_name_or_path"}):
        if ref_cfg.get(k) != our_cfg.get(k):
            problems.append("config %s: ours %r, reference %r" % (k, our_cfg.get(k), ref_cfg.get(k)))
    extra = sorted(set(our_cfg) - set(ref_cfg))
    if extra:
        problems.append("config keys the reference does not write: %s" % extra)
    return problems


def check_conversion(jar, case_dir, info, tmp):
    problems = []
    runs = info.get("call") is not None
    rc, bad, se = forward(jar, os.path.join(case_dir, "output"), case_dir, tmp, hidden=False) if runs else (0, [], "")
    if rc != 0:
        problems.append("forward of the reference's conversion: exit %d %s" % (rc, "; ".join(bad[:4]) or se[:300]))
    out = os.path.join(tmp, "converted")
    args = convert_args(info, out)
    args[2] = os.path.join(case_dir, "input")
    rc, so, se = lsg(jar, *args)
    if rc != 0:
        problems.append("lsg convert: exit %d: %s" % (rc, se[:400]))
        return dict(ok=False, detail="; ".join(problems))
    random_rows = info["converter_call"]["arguments"]["random_global_init"]
    problems += compare_weights(os.path.join(case_dir, "output"), out, random_rows)
    if runs and not random_rows:
        rc, bad, se = forward(jar, out, case_dir, tmp, hidden=False)
        if rc != 0:
            problems.append("forward of lsg4j's conversion: exit %d %s" % (rc, "; ".join(bad[:4]) or se[:300]))
    return dict(ok=not problems, detail="; ".join(problems) if problems else None)


def check(jar, case_dir):
    info = json.load(open(os.path.join(case_dir, "case.json")))
    tmp = tempfile.mkdtemp(prefix="lsg-check-")
    try:
        fn = check_conversion if info["kind"] == "conversion" else check_forward
        r = fn(jar, case_dir, info, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    r["name"] = info["name"]
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--jar", default=os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "cli",
                                                                  "target", "lsg.jar")),
                    help="the lsg command's jar (default: this checkout's cli/target/lsg.jar)")
    ap.add_argument("--only")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--report", help="write the results as JSON here")
    args = ap.parse_args()
    index = json.load(open(os.path.join(args.cases, "index.json")))
    names = [c["name"] for c in index["cases"] if not args.only or re.search(args.only, c["name"])]
    results = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for r in pool.map(lambda n: check(args.jar, os.path.join(args.cases, n)), names):
            results.append(r)
            print("%-50s %s %s" % (r["name"], "ok  " if r["ok"] else "FAIL", r.get("detail") or ""), flush=True)
    failed = [r for r in results if not r["ok"]]
    print("%d cases, %d passed, %d failed" % (len(results), len(results) - len(failed), len(failed)))
    if args.report:
        with open(args.report, "w") as f:
            json.dump(results, f, indent=2)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
