package dev.taskqueue.bench;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Unmeasured rounds of a scenario's own work until the JIT compilers of the JVMs it depends on are
 * done ({@link JitCpu}): what a figure for processes in service needs, since a fresh JVM compiles
 * the code it runs for seconds, on the cores the measured work shares (a fresh client's first
 * 20,000 single submits ran at a third of its later rate: docs/benchmarks-journal.md).
 */
final class WarmUp {
  /** The JIT counts as done once it used at most this share of one core over a round. */
  static final double JIT_DONE_SHARE = 0.01;

  /** The key of the rows that report how long it took, in seconds. */
  static final String KEY = "warm_up_s";

  /** One round of unmeasured work. */
  interface Round {
    void run() throws InterruptedException;
  }

  private WarmUp() {}

  /**
   * Runs {@code round} at least {@code least} times, then until one in which the compilers of the
   * processes {@code pids} names (read once a round) used at most {@link #JIT_DONE_SHARE} of a core
   * over the round's time, or {@code most} rounds have run. Where {@code /proc} cannot tell, {@code
   * least} rounds.
   *
   * @return how long it took, in seconds
   */
  static double until(Supplier<List<Long>> pids, long least, long most, Round round)
      throws InterruptedException {
    return until(pids, least, most, JIT_DONE_SHARE, round);
  }

  /**
   * As {@link #until(Supplier, long, long, Round)}, the JIT counting as done once it used at most
   * {@code doneShare} of one core over a round: for work whose JVMs keep compiling a little long
   * after the bulk of it is done.
   */
  static double until(
      Supplier<List<Long>> pids, long least, long most, double doneShare, Round round)
      throws InterruptedException {
    long started = System.nanoTime();
    Optional<JitCpu.Snapshot> before = JitCpu.read(pids.get());
    long roundStarted = started;
    for (long rounds = 1; ; rounds++) {
      round.run();
      long roundEnded = System.nanoTime();
      // Read once a round: what ends one round begins the next.
      Optional<JitCpu.Snapshot> after = JitCpu.read(pids.get());
      boolean done =
          before.isEmpty()
              || after.isEmpty()
              || after.get().nanosSince(before.get()) <= doneShare * (roundEnded - roundStarted);
      if (rounds >= Math.max(least, most) || (rounds >= least && done)) {
        return (System.nanoTime() - started) / 1e9;
      }
      before = after;
      roundStarted = roundEnded;
    }
  }

  /** This JVM's process id alone, for a warm-up of work done in this JVM. */
  static List<Long> thisJvm() {
    return List.of(ProcessHandle.current().pid());
  }
}
