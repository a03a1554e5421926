#!/usr/bin/env python3
"""Prints the README's table of the kernel-docs demonstration from the runs' metrics.json files.

usage: python3 tools/train/kernel_docs/summary.py WORK_DIR      (the folder run.sh filled)
"""
import json, os, sys

RUNS = [("lsg-card", "LSG 4,096: global tokens + head (the card's recipe)"),
        ("lsg-head", "LSG 4,096: head only"),
        ("lsg-full", "LSG 4,096: full fine-tuning"),
        ("first512-full", "plain 512: full fine-tuning (first 512 tokens)"),
        ("first512-head", "plain 512: head only (first 512 tokens)")]
work = sys.argv[1]
print("| run | held-out accuracy after epochs 1 / 2 / 3 | macro-F1 after epoch 3 | training time (steps only) |")
print("|---|---|---|---|")
for name, label in RUNS:
    path = os.path.join(work, name, "metrics.json")
    if not os.path.exists(path):
        print(f"| {label} | (not run) | | |")
        continue
    m = json.load(open(path))
    accs = " / ".join(f"{100 * e['accuracy']:.1f}%" for e in m["evaluations"])
    f1 = m["evaluations"][-1]["macro_f1"]
    minutes, seconds = divmod(round(m["train_seconds"]), 60)
    print(f"| {label} | {accs} | {f1:.3f} | {minutes}m{seconds:02d}s ({m['train_tokens_per_second']:,.0f} tokens/s) |")
