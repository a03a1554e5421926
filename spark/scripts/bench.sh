#!/usr/bin/env bash
# Documents per second of lsg4j on Spark in local[2] mode against the plain CLI (lsg embed --input),
# on the same machine, model and documents, in one run: CLI, then each Spark setting, then the CLI
# again (this machine's speed drifts; the two CLI runs show by how much).
#
#   spark/scripts/bench.sh [DOCUMENTS]       (default 160)
#
# The model is lsg4j's default model (all-MiniLM-L6-v2 converted to LSG, 4,096 tokens), made in the
# lsg4j cache on first use. The documents are the texts of shared/fixtures/pipelines, joined into
# documents of 1 to 6 texts each. Every figure includes its JVM's start, the model's load and the
# JIT's warm-up; for Spark, "in job" leaves out Spark's own start and stop.
set -euo pipefail
module="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$module/.." && pwd)"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
n="${1:-160}"
work="$module/target/bench"
mkdir -p "$work"

(cd "$root" && mvn -B -q -ntp -pl spark -am package -DskipTests)
spark_home="$("$module/scripts/spark-home.sh")"
jar="$(ls "$module"/target/lsg4j-spark-*-all.jar)"
spark() {   # spark-submit in local[2] on the loopback address
  "$spark_home/bin/spark-submit" --master 'local[2]' --driver-memory 4g \
      --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
      --class org.lsg4j.spark.LsgJob "$jar" "$@" 2> "$work/spark.log"
}

export LSG4J_HOME="${LSG4J_HOME:-$work/lsg4j-home}"   # a cache of its own: nothing else remakes the model meanwhile
model="$LSG4J_HOME/models/lsg-all-minilm-l6-v2-4096"
if [ ! -f "$model/lsg4j-manifest.json" ]; then
  echo '{"text": "make the default model"}' > "$work/one.jsonl"
  spark "$work/one.jsonl" noop > /dev/null   # the empty model param: the default model, made once
fi

python3 - "$root/../shared/fixtures/pipelines" "$n" > "$work/docs.jsonl" <<'PY'
import json, pathlib, sys
texts = []
for cases in sorted(pathlib.Path(sys.argv[1]).glob("*/pipeline_cases.jsonl")):
    for line in cases.read_text().splitlines():
        inputs = json.loads(line)["inputs"]
        for item in inputs if isinstance(inputs, list) else [inputs]:
            text = item["text"] if isinstance(item, dict) else item
            if text not in texts:
                texts.append(text)
for i in range(int(sys.argv[2])):
    parts = [texts[(7 * i + 3 * j) % len(texts)] for j in range(1 + i % 6)]
    print(json.dumps({"id": i, "text": " ".join(parts).replace("<mask>", "mask")}))
PY

tokens=$("$root/lsg" tokenize --model "$model" --jsonl "$work/docs.jsonl" 2> /dev/null | python3 -c "
import json, sys
n = [len(json.loads(line)['ids']) for line in sys.stdin]
print(f'{sum(n):,} tokens, {min(n)} to {max(n)} per document (mean {sum(n) // len(n)}; the model takes 4096)')")

seconds() { date +%s.%N; }
rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])):.3f}')" "$n" "$1" "$2"; }
report=()
cli() {
  local t0 t1
  t0=$(seconds); "$root/lsg" embed --model "$model" --input "$work/docs.jsonl" --threads 2 > "$work/cli.jsonl" 2> "$work/cli.log"; t1=$(seconds)
  report+=("| CLI: lsg embed --threads 2 ($1) | $(rate "$t0" "$t1") | |")
  echo "${report[-1]}" >&2
}
run_spark() {
  local label="$1" t0 t1 line
  shift
  t0=$(seconds); line=$(spark "$work/docs.jsonl" noop partitions=8 "$@" | grep '^lsg4j:'); t1=$(seconds)
  report+=("| Spark local[2]: $label | $(rate "$t0" "$t1") | $(sed 's/.*: \([0-9.]*\) documents\/s/\1/' <<< "$line") |")
  echo "${report[-1]}" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cli "first"
run_spark "batchSize 1, threadsPerForward 0 (2 forwards of 1 thread)"
run_spark "batchSize 1, threadsPerForward 2 (1 forward of 2 threads)" threadsPerForward=2
run_spark "batchSize 4, threadsPerForward 0" batchSize=4
cli "again"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(grep -o -w 'avx512f\|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); Spark: $(cat "$spark_home/RELEASE")"
echo "documents: $n, $tokens; model: $model"
echo "load average (1, 5, 15 min) before: $load_before; after: $load_after"
echo
echo "| run | documents/s (wall clock) | documents/s in job |"
echo "| --- | --- | --- |"
printf '%s\n' "${report[@]}"
