package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * A guest reads the system's wall clock to the microsecond: what the latency benchmark's task
 * ({@code clock.wat}) reports as its start.
 */
class SandboxClockTest {
  @Test
  void aGuestReadsTheWallClockAsItRuns() {
    try (Sandbox sandbox = new Sandbox(new SandboxLimits(256, 1 << 20))) {
      CompiledModule clock = Guests.compile(Guests.wat("clock"));
      Instant before = Instant.now();
      Outcome outcome =
          Runs.run(
              sandbox, clock, "", Duration.ofSeconds(20), new ArrayList<>(), new ArrayList<>());
      Instant after = Instant.now();

      long nanos = Long.parseLong(Runs.text(outcome));
      Instant started = Instant.ofEpochSecond(0, nanos);
      assertTrue(!started.isBefore(before.minusMillis(1)), started + " before " + before);
      assertTrue(!started.isAfter(after), started + " after " + after);
      assertTrue(
          nanos % 1_000_000 != 0
              || Long.parseLong(Runs.text(again(sandbox, clock))) % 1_000_000 != 0,
          "finer than a millisecond");
    }
  }

  private static Outcome again(Sandbox sandbox, CompiledModule clock) {
    return Runs.run(
        sandbox, clock, "", Duration.ofSeconds(20), new ArrayList<>(), new ArrayList<>());
  }
}
