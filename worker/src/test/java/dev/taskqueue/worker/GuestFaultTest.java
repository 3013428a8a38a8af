package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.taskqueue.sandbox.Outcome;
import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuestFaultTest {
  private static final Duration ELAPSED = Duration.ofMillis(5);

  @Test
  void aTrapOrAnExitEndsWithTheLastLineOnStderr() {
    Failed trap = new Failed(Failure.TRAP, "trapped in execute: unreachable", ELAPSED);
    Failed exit = new Failed(Failure.EXIT, "exited with code 2", ELAPSED);
    Optional<String> line = Optional.of("  Assertion failed: n > 0 (main.c: run: 12)\t");

    assertEquals(
        new Failed(
            Failure.TRAP,
            "trapped in execute: unreachable; last on stderr: Assertion failed: n > 0 (main.c:"
                + " run: 12)",
            ELAPSED),
        GuestFault.withLastStderrLine(trap, line));
    assertEquals(
        "exited with code 2; last on stderr: Assertion failed: n > 0 (main.c: run: 12)",
        ((Failed) GuestFault.withLastStderrLine(exit, line)).message());
  }

  @Test
  void aLongLineIsCutAndControlCharactersShown() {
    Failed trap = new Failed(Failure.TRAP, "trapped", ELAPSED);

    String message =
        ((Failed)
                GuestFault.withLastStderrLine(
                    trap, Optional.of("\u001b[31m" + "x".repeat(GuestFault.QUOTED))))
            .message();

    assertEquals(
        "trapped; last on stderr: ?[31m" + "x".repeat(GuestFault.QUOTED - 5) + "...", message);
  }

  @Test
  void otherEndsAndSilentGuestsAreLeftAsTheyAre() {
    Failed timeout = new Failed(Failure.TIMEOUT, "timed out after 1s", ELAPSED);
    Failed trap = new Failed(Failure.TRAP, "trapped", ELAPSED);
    Outcome done = new Outcome.Succeeded(new byte[0], ELAPSED);

    assertSame(timeout, GuestFault.withLastStderrLine(timeout, Optional.of("still working")));
    assertSame(trap, GuestFault.withLastStderrLine(trap, Optional.empty()));
    assertSame(done, GuestFault.withLastStderrLine(done, Optional.of("a warning")));
  }
}
