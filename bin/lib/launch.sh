# Shared by the launchers in bin/: finds an executable's jar and runs it with java.
#
# The jar is looked up in $TASK_QUEUE_HOME/lib/ (an installed copy, as in the container image),
# then in <module>/target/ of this checkout (after `mvn package`). JAVA_HOME picks the JVM;
# TASK_QUEUE_JAVA_OPTS adds JVM options.

launch() {
  local name=$1
  shift
  local default_opts=$1
  shift
  local home="${TASK_QUEUE_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
  local jar=""
  local candidate
  for candidate in "$home/lib/task-queue-$name.jar" "$home/$name/target/task-queue-$name.jar"; do
    if [ -f "$candidate" ]; then
      jar=$candidate
      break
    fi
  done
  if [ -z "$jar" ]; then
    echo "$name: task-queue-$name.jar is not built yet; run 'mvn -q -DskipTests package' in $home" >&2
    exit 1
  fi
  local java=java
  if [ -n "${JAVA_HOME:-}" ]; then
    java="$JAVA_HOME/bin/java"
  fi
  # shellcheck disable=SC2086 # options are words on purpose
  exec "$java" $default_opts ${TASK_QUEUE_JAVA_OPTS:-} -jar "$jar" "$@"
}
