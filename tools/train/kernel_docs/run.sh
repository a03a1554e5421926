#!/usr/bin/env bash
# The real-model demonstration of `lsg train` (README, "Demonstration: the card's recipe on a real model"):
# the default model (all-MiniLM-L6-v2 converted to LSG, 4,096 tokens) fine-tuned to tell which part of the
# Linux kernel documentation a page belongs to, five runs under the same budget (3 epochs, batches of 4,
# the same data order): global tokens + head (the model card's recipe), head only and full fine-tuning
# of the LSG model, and the plain 512-token model on the first 512 tokens (full, and head only).
#
# usage: tools/train/kernel_docs/run.sh [WORK_DIR]      (default /tmp/kernel-docs; run from the checkout)
set -euo pipefail
work=${1:-/tmp/kernel-docs}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
lsg="$root/lsg"
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java

mkdir -p "$work"
[ -s "$work/train.jsonl" ] || python3 "$here/make.py" "$work"
[ -s "$work/plain/config.json" ] || "$java" --add-modules jdk.incubator.vector -cp "$root/cli/target/lsg.jar" \
    "$here/PlainModel.java" "$work/plain" 2>&1 | grep -v '^WARNING: Using incubator modules'

common=(--task seq-classification --train "$work/train.jsonl" --eval "$work/test.jsonl" --epochs 3
        --batch-size 4 --warmup 0.1 --seed 42 --threads 2 --save-every 0 --log-every 5)
run() {   # NAME ARGS...: one configuration, skipped when its trained model is already there
  local name=$1; shift
  [ -s "$work/$name/metrics.json" ] && return 0
  rm -rf "$work/$name"
  echo "== $name: lsg train $*" >&2
  /usr/bin/time -f "$name: %e s wall, %M KB peak RSS" "$lsg" train "${common[@]}" --output "$work/$name" "$@"
}
run first512-full --model "$work/plain" --max-length 512 --trainable all --lr 1e-4
run first512-head --model "$work/plain" --max-length 512 --trainable head --lr 1e-3
run lsg-card      --recipe card --trainable global --lr 1e-3
run lsg-head      --recipe card --trainable head --lr 1e-3
run lsg-full      --recipe card --trainable all --lr 1e-4
