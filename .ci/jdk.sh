# Sourced by ./lsg, .ci/run and .ci/fuzz. `lsg_use_jdk25` exports JAVA_HOME for an installed JDK 25
# (JAVA_HOME, else the JDK of the javac/java on the PATH, else /usr/lib/jvm/*25*; LSG_JVM_ROOT
# names another folder than /usr/lib/jvm) and puts it first
# on the PATH; when there is none it says how to install one and returns 1. Nothing here installs
# anything: only CI does (.ci/run).
lsg_is_jdk25() { [ -x "$1/bin/javac" ] && "$1/bin/java" -version 2>&1 | grep -q 'version "25'; }
lsg_find_jdk25() {
  local c tool
  for tool in javac java; do
    if command -v "$tool" >/dev/null; then
      c=$(dirname "$(dirname "$(readlink -f "$(command -v "$tool")")")")
      lsg_is_jdk25 "$c" && { echo "$c"; return 0; }
    fi
  done
  for c in "${LSG_JVM_ROOT:-/usr/lib/jvm}"/*25*; do
    [ -n "$c" ] && lsg_is_jdk25 "$c" && { echo "$c"; return 0; }
  done
  return 1
}
lsg_use_jdk25() {
  local found
  # JAVA_HOME first when it is a JDK 25; the PATH and /usr/lib/jvm after it
  if [ -n "${JAVA_HOME:-}" ] && lsg_is_jdk25 "$JAVA_HOME"; then
    found=$JAVA_HOME
  elif ! found=$(lsg_find_jdk25); then
    cat >&2 <<MSG
lsg: no JDK 25 found (JAVA_HOME${JAVA_HOME:+=$JAVA_HOME} is not one, nor the java on the PATH, nor ${LSG_JVM_ROOT:-/usr/lib/jvm}/*25*).
Install a JDK 25 and run again, or set JAVA_HOME to one. For example:
  Debian/Ubuntu with Adoptium's apt repository: sudo apt-get install temurin-25-jdk
  Debian/Ubuntu packages:                       sudo apt-get install openjdk-25-jdk-headless
  any system: unpack a JDK 25 from https://adoptium.net and export JAVA_HOME=/path/to/jdk-25
MSG
    return 1
  fi
  export JAVA_HOME=$found
  export PATH="$JAVA_HOME/bin:$PATH"
}
