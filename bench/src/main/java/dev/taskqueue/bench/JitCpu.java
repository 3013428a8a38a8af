package dev.taskqueue.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The CPU time the JIT compilers of some JVMs have used so far, read from Linux's {@code /proc}
 * (the threads HotSpot names {@code C1 CompilerThread…} and {@code C2 CompilerThread…}). A JVM
 * whose hot code is still being compiled takes CPU from the processes a latency figure measures: at
 * a steady 1,000 tasks a second a fresh worker and the bench compile for 20 s and more, 1.6 to 2.6
 * s of CPU in a 10 s window on two cores (docs/benchmarks-journal.md, "A latency measured once the
 * JIT is done").
 */
final class JitCpu {
  /** The key of the JSON rows that report it, in ms. */
  static final String KEY = "jit_cpu_ms";

  /** Linux reports threads' CPU times in ticks of 1/100 s (USER_HZ, fixed by its ABI). */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private static final Path PROC = Path.of("/proc");

  private JitCpu() {}

  /**
   * The JIT compiler threads' CPU time, summed over the processes {@code pids}, in ns; empty where
   * {@code /proc} cannot tell (not Linux, or a process gone).
   */
  static OptionalLong nanos(List<Long> pids) {
    return read(pids)
        .map(snapshot -> OptionalLong.of(snapshot.nanos()))
        .orElse(OptionalLong.empty());
  }

  /**
   * Each compiler thread's CPU time so far in the processes {@code pids}; empty where {@code /proc}
   * cannot tell (not Linux, or a process gone).
   */
  static Optional<Snapshot> read(List<Long> pids) {
    Map<String, Long> ticks = new HashMap<>();
    for (long pid : pids) {
      try (DirectoryStream<Path> threads =
          Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("task"))) {
        for (Path thread : threads) {
          long used = compilerTicks(thread);
          if (used > 0) {
            ticks.put(pid + "/" + thread.getFileName(), used);
          }
        }
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.of(new Snapshot(ticks));
  }

  /**
   * The compiler threads' CPU time at one moment, thread by thread (keyed {@code pid/tid}), in
   * ticks. Kept per thread because HotSpot ends compiler threads it no longer needs and starts them
   * again when it does: a sum read later can be smaller than one read before, and the difference of
   * two sums was once negative.
   */
  record Snapshot(Map<String, Long> ticks) {
    long nanos() {
      return ticks.values().stream().mapToLong(Long::longValue).sum() * NANOS_PER_TICK;
    }

    /**
     * What the compiler threads used since {@code before}, in ns: a thread that ended meanwhile
     * counts for nothing (what it used after {@code before} is not known), one started since for
     * all it used.
     */
    long nanosSince(Snapshot before) {
      long since = 0;
      for (Map.Entry<String, Long> thread : ticks.entrySet()) {
        since += Math.max(0, thread.getValue() - before.ticks.getOrDefault(thread.getKey(), 0L));
      }
      return since * NANOS_PER_TICK;
    }
  }

  /** A compiler thread's user and system time, in ticks; 0 for any other thread. */
  private static long compilerTicks(Path thread) {
    try {
      String name = Files.readString(thread.resolve("comm")).strip();
      if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) {
        return 0;
      }
      // The fields after the name, which is in parentheses and may hold spaces: the 12th and 13th
      // are utime and stime (proc(5)).
      String stat = Files.readString(thread.resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 14);
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException e) {
      // HotSpot stops compiler threads it no longer needs: this one ended meanwhile.
      return 0;
    }
  }
}
