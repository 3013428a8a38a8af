package dev.taskqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
  void aProcessThatIsGoneCannotBeRead() throws Exception {
    Process done = new ProcessBuilder("true").start();
    done.waitFor();

    assertEquals(OptionalLong.empty(), JitCpu.nanos(List.of(done.pid())));
  }
}
