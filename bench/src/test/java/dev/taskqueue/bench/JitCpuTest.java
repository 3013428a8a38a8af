package dev.taskqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What {@link JitCpu} reads from {@code /proc}: the compiler threads' time, and nothing else. */
class JitCpuTest {
  @Test
  void aJvmThatHasRunForAWhileHasSpentTimeCompiling() {
    // Loading the test framework alone compiles thousands of methods: tens of ticks at least.
    OptionalLong self = JitCpu.nanos(List.of(ProcessHandle.current().pid()));

    assertTrue(self.isPresent(), "this JVM's threads are in /proc");
    assertTrue(self.getAsLong() > 0, "this JVM's compiler threads have used CPU: " + self);
  }

  @Test
  void aProcessWithoutCompilerThreadsCountsNothing() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "30").start();
    try {
      assertEquals(OptionalLong.of(0), JitCpu.nanos(List.of(sleep.pid())));
    } finally {
      sleep.destroy();
    }
  }

  @Test
  void whatWasUsedSinceCountsNoThreadBelowNothingWhenOneEndedMeanwhile() {
    // Thread 11 compiled 20 ticks more, 12 ended (HotSpot stops idle compiler threads), 13 began.
    JitCpu.Snapshot before = new JitCpu.Snapshot(Map.of("7/11", 100L, "7/12", 50L));
    JitCpu.Snapshot after = new JitCpu.Snapshot(Map.of("7/11", 120L, "7/13", 10L));

    assertEquals(300_000_000L, after.nanosSince(before));
    assertEquals(0, before.nanosSince(before));
    assertTrue(after.nanos() < before.nanos(), "the sums alone would go backwards");
  }

  @Test
  void aSnapshotNamesEachCompilerThreadOfEachProcess() {
    long pid = ProcessHandle.current().pid();
    JitCpu.Snapshot self = JitCpu.read(List.of(pid)).orElseThrow();

    assertTrue(
        self.ticks().keySet().stream().allMatch(k -> k.startsWith(pid + "/")), self.toString());
    assertTrue(self.nanos() > 0, self.toString());
  }

  @Test
  void aProcessThatIsGoneCannotBeRead() throws Exception {
    Process done = new ProcessBuilder("true").start();
    done.waitFor();

    assertEquals(OptionalLong.empty(), JitCpu.nanos(List.of(done.pid())));
  }
}
