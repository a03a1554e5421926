#!/usr/bin/env python3
"""Plots the curves of `lsg train` runs from the metrics.json files they wrote (the README's demonstrations).

usage: /usr/bin/python3 tools/train/plot.py [--title TEXT] OUT.png CHANCE_PERCENT LABEL=RUN_DIR [LABEL=RUN_DIR ...]

Left: the training loss of each run (a moving mean over 10 steps); right: the held-out accuracy at each
evaluation, with chance (CHANCE_PERCENT, 33.3 for three balanced labels) drawn as a dotted line. Needs matplotlib (Debian: python3-matplotlib).
"""
import json, os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

args = sys.argv[1:]
title = "Long-range task: the label depends on two runs of letters > 2,000 tokens apart (2 cores, lsg train)"
if args[0] == "--title":
    title, args = args[1], args[2:]
out, chance, runs = args[0], float(args[1]), [a.split("=", 1) for a in args[2:]]
fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 3.8))
for label, folder in runs:
    m = json.load(open(os.path.join(folder, "metrics.json")))
    steps = [e["step"] for e in m["log"]]
    losses = [e["loss"] for e in m["log"]]
    smooth = [sum(losses[max(0, i - 9):i + 1]) / len(losses[max(0, i - 9):i + 1]) for i in range(len(losses))]
    loss_ax.plot(steps, smooth, label=label)
    evals = m["evaluations"]
    acc_ax.plot([e["step"] for e in evals], [100 * e["accuracy"] for e in evals], marker="o", markersize=3, label=label)
loss_ax.set(xlabel="optimizer step", ylabel="training loss (mean of 10 steps)", title="Training loss")
acc_ax.axhline(chance, color="grey", linestyle=":", label=f"chance ({chance:g}%)")
acc_ax.set(xlabel="optimizer step", ylabel="held-out accuracy (%)", title="Held-out accuracy", ylim=(0, 102))
for ax in (loss_ax, acc_ax):
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
fig.suptitle(title, fontsize=10)
fig.tight_layout()
fig.savefig(out, dpi=110)
