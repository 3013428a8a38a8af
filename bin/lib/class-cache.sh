# shellcheck shell=bash
# Class data sharing for the short-lived CLIs (producer, registry), sourced by launch.sh.
#
# About half of a CLI's run is its JVM loading, parsing and checking classes. The first run of a
# jar on a JVM writes the classes it loaded to an archive as it exits (-XX:ArchiveClassesAtExit);
# later runs map that archive (-XX:SharedArchiveFile) and start in about half the time
# (docs/operations.md, "CLI start-up"). JDK 19 and later do this themselves
# (-XX:+AutoCreateSharedArchive); the project targets 17, so the launcher does it:
#
# - an archive's name says what it was made from: the jar's path, size and time, and the JVM's
#   library's; a new build or a new JDK makes a new one, and the three newest of a CLI are kept;
# - it is written under a name of its own and renamed into place only after its run exited with 0:
#   the JVM crashes on a partial archive, so no run may ever map one;
# - the JVM's own CDS messages are off: a CLI's standard output is its output, nothing else.
#
# TASK_QUEUE_CLASS_CACHE names the folder (default: ~/.cache/task-queue/classes), or is "off".
# Without a folder it can write (no HOME, a read-only one), or with one that is not its user's or
# that everyone may write to, a CLI runs as it would without it.

# The folder of archives, created if need be; nothing when there is none to use.
class_cache_dir() {
  local dir="${TASK_QUEUE_CLASS_CACHE:-}"
  if [ "$dir" = off ]; then
    return
  fi
  if [ -z "$dir" ]; then
    if [ -n "${XDG_CACHE_HOME:-}" ]; then
      dir="$XDG_CACHE_HOME/task-queue/classes"
    elif [ -n "${HOME:-}" ] && [ "$HOME" != / ]; then
      dir="$HOME/.cache/task-queue/classes"
    else
      return
    fi
  fi
  # Only a folder of this user's that not everyone may write to: an archive holds code the JVM
  # runs. One made here is the user's alone.
  if (umask 077 && mkdir -p "$dir" 2>/dev/null) && [ -O "$dir" ] && [ -w "$dir" ] &&
    [ -z "$(find "$dir" -maxdepth 0 -perm /002)" ]; then
    printf '%s\n' "$dir"
  fi
}

# The archive for one CLI's jar on one JVM: named after the jar's and the JVM library's path, size
# and modification time, which the JVM checks too.
class_cache_archive() {
  local dir=$1 name=$2 java=$3 jar=$4
  local binary
  binary=$(readlink -f "$(command -v "$java")") || return
  local jvm="${binary%/bin/java}/lib/server/libjvm.so"
  [ -f "$jvm" ] || jvm=$binary
  local key
  key=$(printf '%s\n' "$jar" "$(stat -L -c '%s %Y' "$jar")" "$jvm" "$(stat -L -c '%s %Y' "$jvm")" |
    cksum) || return
  printf '%s/%s-%s.jsa\n' "$dir" "$name" "${key%% *}"
}

# Runs the CLI (java, the launcher's options, the user's, -jar, the jar, its arguments) with its
# class archive: mapped when there is one; written as it exits when there is none and this run may
# write it (the process ends as the CLI does). Returns, for the launcher to run the CLI as ever,
# when neither applies. Options of the user's that name an archive or cache of their own turn the
# launcher's off.
class_cache_run() {
  local name=$1 java=$2 jar=$3 opts=$4 user_opts=$5
  shift 5
  local dir archive
  dir=$(class_cache_dir)
  case "$user_opts" in
    *Xshare* | *SharedArchiveFile* | *ArchiveClassesAtExit* | *AOTCache*) dir="" ;; # the user's own
  esac
  if [ -n "$dir" ]; then
    archive=$(class_cache_archive "$dir" "$name" "$java" "$jar")
  fi
  if [ -z "${archive:-}" ]; then
    return
  fi
  if [ -f "$archive" ]; then
    # shellcheck disable=SC2086 # options are words on purpose
    exec "$java" $opts -Xlog:cds*=off -XX:SharedArchiveFile="$archive" $user_opts -jar "$jar" "$@"
  fi
  if ! class_cache_trains "$@"; then
    return
  fi
  # No archive yet: this run writes one. The JVM runs as a child, so that its archive can be put in
  # place once it has exited; signals that would have stopped it stop it still. Its standard input
  # is given explicitly: a command run in the background reads /dev/null otherwise.
  local partial="$archive.partial-$$"
  # shellcheck disable=SC2086
  "$java" $opts -Xlog:cds*=off -XX:ArchiveClassesAtExit="$partial" $user_opts -jar "$jar" "$@" <&0 &
  local child=$!
  # A command run in the background ignores SIGINT: a Ctrl-C reaches the JVM as a SIGTERM.
  trap 'kill -TERM "$child" 2>/dev/null' INT TERM HUP
  local status=0
  wait "$child" || status=$?
  while kill -0 "$child" 2>/dev/null; do # wait ended early, for a signal: wait for the JVM's end
    status=0
    wait "$child" || status=$?
  done
  trap - INT TERM HUP
  if [ "$status" -eq 0 ] && [ -s "$partial" ]; then
    mv -f "$partial" "$archive"
    class_cache_prune "$dir" "$name"
  else
    rm -f "$partial"
  fi
  exit "$status"
}

# Whether this run may write the archive. Not one that only shows help or the version: it loads
# the parser and little else, and would leave an archive that spares later runs nothing. Not one
# that runs until stopped ('producer stats --watch', 'producer logs --follow'): were its launcher
# killed outright (SIGKILL), the JVM, its child while it writes one, would run on with nobody to
# stop it.
class_cache_trains() {
  [ $# -gt 0 ] || return 1
  local arg
  for arg in "$@"; do
    case "$arg" in
      -h | --help | -V | --version | help | generate-completion) return 1 ;;
      --watch | --watch=* | --follow) return 1 ;;
    esac
  done
}

# Keeps a CLI's three newest archives (a few builds or JDKs side by side) and removes the rest,
# and any partial one a killed run left more than an hour ago.
class_cache_prune() {
  local dir=$1 name=$2
  find "$dir" -maxdepth 1 -name "$name-*.jsa.partial-*" -mmin +60 -delete 2>/dev/null
  # One path a line: a folder's path may hold spaces but no newline, and the names are ours.
  # shellcheck disable=SC2012
  ls -t "$dir/$name"-*.jsa 2>/dev/null | tail -n +4 | while read -r old; do
    rm -f "$old"
  done
}
