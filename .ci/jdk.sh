# Sourced by .ci/run and ./lsg: exports JAVA_HOME for a JDK 25, installing one when none is found.
lsg_is_jdk25() { [ -x "$1/bin/javac" ] && "$1/bin/java" -version 2>&1 | grep -q 'version "25'; }
lsg_find_jdk25() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/*25*; do
    [ -n "$c" ] && lsg_is_jdk25 "$c" && { echo "$c"; return 0; }
  done
  return 1
}
if ! JAVA_HOME=$(lsg_find_jdk25); then
  echo "JDK 25 not found; installing it with apt" >&2
  if command -v apt-get >/dev/null; then
    apt-get update -qq >&2 || true
    apt-get install -y -qq temurin-25-jdk >&2 || apt-get install -y -qq openjdk-25-jdk-headless >&2 || true
  fi
  JAVA_HOME=$(lsg_find_jdk25) || { echo "error: no JDK 25 (set JAVA_HOME to one)" >&2; exit 1; }
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null; then
  echo "Maven not found; installing it with apt" >&2
  apt-get update -qq >&2 && apt-get install -y -qq maven >&2
fi
