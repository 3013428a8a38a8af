# shellcheck shell=bash
# Transparent huge pages for a JVM's heap and code, where the kernel gives them to a process that
# asks (sourced by bin/worker, bin/scheduler and bin/reaper: the long-running processes).
#
# With -XX:+UseTransparentHugePages the JVM asks the kernel (madvise) to back its heap and its
# compiled code with 2 MB pages: a fresh process takes a fault for each 2 MB of heap it first
# touches instead of each 4 KB, and the processor's page walks are shorter. On the 2-core VMs the
# benchmarks run on, a fresh worker drained 50,000 tasks a sixth faster with it (ahead in sixteen
# runs of sixteen) and used a sixth less CPU a task, its resident memory 3-5% larger
# (docs/benchmarks-journal.md, "Transparent huge pages for the worker"); the scheduler and the
# reaper took a third of the page faults through a `bench scheduled` run, 1,000 tasks due at once
# started sooner (p99 ahead in ten pairs of fourteen), their resident memory 7-10% larger
# (docs/benchmarks-journal.md, "The scheduler and the reaper: huge pages, and a stream of due
# tasks").
# The kernel's setting decides:
#
# - "always" or "madvise": the option is given;
# - "never", or no such setting (another OS, a sandbox hiding /sys): it is not, since the JVM
#   would print a warning at every start and run as it would without it.

# The JVM option for the kernel's transparent huge pages setting in file $1 (its default place
# unless given), or nothing where the kernel gives none.
transparent_huge_pages_option() {
  local setting
  setting=$(cat "${1:-/sys/kernel/mm/transparent_hugepage/enabled}" 2>/dev/null) || return 0
  case "$setting" in
    *"[always]"* | *"[madvise]"*) printf '%s\n' "-XX:+UseTransparentHugePages" ;;
  esac
}
