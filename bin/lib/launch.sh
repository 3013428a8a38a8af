# shellcheck shell=bash
# Shared by the launchers in bin/: finds an executable's jar and runs it with java.
#
# The jar is looked up in $TASK_QUEUE_HOME/lib/ (an installed copy, as in the container image),
# then in <module>/target/ of this checkout (after `mvn package`). JAVA_HOME picks the JVM;
# TASK_QUEUE_JAVA_OPTS adds JVM options to every executable, and TASK_QUEUE_<NAME>_JAVA_OPTS
# (TASK_QUEUE_WORKER_JAVA_OPTS, say) to one alone, after those: an environment shared by every
# executable can still give the worker its heap or its AOT cache without the CLIs taking them too.

source "$(dirname "${BASH_SOURCE[0]}")/class-cache.sh"

# Runs a long-lived executable (worker, scheduler, reaper, bench) in this process's place.
launch() {
  start_jar "" "$@"
}

# Runs a short-lived CLI (producer, registry), which starts from its class archive (class-cache.sh).
launch_cli() {
  start_jar class-cache "$@"
}

# Given to every executable, before its own options and the user's (which override them):
# Netty, under Redisson, registers its buffer allocator's Java Flight Recorder events on its first
# allocation, which loads JFR's event metadata: about 40 ms at every start, an eighth of a short
# CLI command (docs/operations.md, "CLI start-up"). -Dio.netty.jfr.enabled=true in
# TASK_QUEUE_JAVA_OPTS brings the events back for a recording that wants them.
readonly COMMON_JAVA_OPTS="-Dio.netty.jfr.enabled=false"

start_jar() {
  local mode=$1 name=$2 default_opts="$COMMON_JAVA_OPTS $3"
  shift 3
  local jar java user_opts
  jar=$(find_jar "$name") || exit 1
  java=$(java_command)
  user_opts=$(user_java_opts "$name")
  if [ "$mode" = class-cache ]; then
    class_cache_run "$name" "$java" "$jar" "$default_opts" "$user_opts" "$@"
  fi
  # shellcheck disable=SC2086 # options are words on purpose
  exec "$java" $default_opts $user_opts -jar "$jar" "$@"
}

# The user's JVM options for executable $1: TASK_QUEUE_JAVA_OPTS, then TASK_QUEUE_<NAME>_JAVA_OPTS,
# so that the latter win where both set one.
user_java_opts() {
  local own="TASK_QUEUE_${1^^}_JAVA_OPTS"
  printf '%s\n' "${TASK_QUEUE_JAVA_OPTS:-} ${!own:-}"
}

find_jar() {
  local name=$1
  local home="${TASK_QUEUE_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
  local candidate
  for candidate in "$home/lib/task-queue-$name.jar" "$home/$name/target/task-queue-$name.jar"; do
    if [ -f "$candidate" ]; then
      printf '%s\n' "$candidate"
      return
    fi
  done
  echo "$name: task-queue-$name.jar is not built yet; run 'mvn -q -DskipTests package' in $home" >&2
  return 1
}

java_command() {
  if [ -n "${JAVA_HOME:-}" ]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  else
    printf 'java\n'
  fi
}
