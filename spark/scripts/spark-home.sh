#!/usr/bin/env bash
# Makes a local Spark installation from the Maven artifacts this module builds against (no download
# besides Maven Central) and prints its folder, for running spark-submit and standalone clusters here:
#   SPARK_HOME/jars/  Spark 4.2.0 with its dependencies (what the cluster's jars/ folder holds)
#   SPARK_HOME/bin/spark-submit, spark-class  the launcher entry points, run through Spark's own
#                     org.apache.spark.launcher.Main, which builds the JVM command line (classpath,
#                     memory, and the --add-opens / --add-modules options of JavaModuleOptions).
# Usage: SPARK_HOME=$(spark/scripts/spark-home.sh [FOLDER])   (default FOLDER: spark/target/spark-home)
set -euo pipefail
module="$(cd "$(dirname "$0")/.." && pwd)"
home="${1:-$module/target/spark-home}"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
if [ ! -f "$home/jars/.complete" ]; then
  rm -rf "$home/jars"
  # compile + provided scope: Spark and what it runs on (Jackson included), without lsg4j itself
  (cd "$module/.." && mvn -B -q -ntp -pl spark dependency:copy-dependencies -DincludeScope=compile \
      -DexcludeGroupIds=org.lsg4j,dev.langchain4j -DoutputDirectory="$home/jars" >&2)
  touch "$home/jars/.complete"
fi
mkdir -p "$home/bin" "$home/conf"
# the launcher takes a folder with a RELEASE file for a distribution, whose classpath is jars/*
echo "Spark $(ls "$home/jars" | sed -n 's/^spark-core_2.13-\(.*\)\.jar$/\1/p') from the Maven Central artifacts" > "$home/RELEASE"
cat > "$home/bin/spark-class" <<'SH'
#!/usr/bin/env bash
# Runs a Spark main class the way Spark's bin/spark-class does: the launcher prints a NUL and a
# newline (a marker), then the command's arguments, each ended by a NUL.
set -euo pipefail
export SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
export SPARK_SCALA_VERSION=2.13   # as Spark's load-spark-env.sh sets it
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cmd=()
while IFS= read -r -d '' arg; do cmd+=("$arg"); done \
    < <("$java" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@")
[ ${#cmd[@]} -gt 1 ] || exit 1   # the launcher said why on stderr
cmd=("${cmd[@]:1}")
cmd[0]="${cmd[0]#$'\n'}"
exec "${cmd[@]}"
SH
cat > "$home/bin/spark-submit" <<'SH'
#!/usr/bin/env bash
exec "$(dirname "$0")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
SH
chmod +x "$home/bin/spark-class" "$home/bin/spark-submit"
echo "$home"
