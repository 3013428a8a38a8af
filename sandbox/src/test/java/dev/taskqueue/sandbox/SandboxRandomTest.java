package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.taskqueue.sandbox.Outcome.Succeeded;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A guest's random_get bytes come from the sandbox's source: a SecureRandom per slot thread. */
class SandboxRandomTest {
  private static final SandboxLimits LIMITS = new SandboxLimits(256, 1 << 20);

  @Test
  void aGuestsRandomBytesComeFromTheSandboxsSource() {
    byte[] expected = new byte[16];
    new Random(42).nextBytes(expected);

    try (Sandbox sandbox = new Sandbox(LIMITS, () -> new Random(42))) {
      Outcome outcome =
          Runs.run(
              sandbox,
              Guests.compile(Guests.wat("random")),
              "",
              Duration.ofSeconds(20),
              new ArrayList<>(),
              new ArrayList<>());

      assertArrayEquals(expected, assertInstanceOf(Succeeded.class, outcome).result());
    }
  }

  @Test
  void eachTaskReadsTheRandomnessItWasGivenNotTheTaskBeforesOnTheSameThread() {
    AtomicLong seeds = new AtomicLong(1);
    CompiledModule random = Guests.compile(Guests.wat("random"));

    try (Sandbox sandbox = new Sandbox(LIMITS, () -> new Random(seeds.getAndIncrement()))) {
      for (long seed = 1; seed <= 2; seed++) {
        byte[] expected = new byte[16];
        new Random(seed).nextBytes(expected);
        Outcome outcome =
            Runs.run(
                sandbox, random, "", Duration.ofSeconds(20), new ArrayList<>(), new ArrayList<>());

        assertArrayEquals(expected, assertInstanceOf(Succeeded.class, outcome).result());
      }
    }
  }

  @Test
  void byDefaultEachSlotThreadHasItsOwnSecureRandom() throws Exception {
    try (Sandbox sandbox = new Sandbox(LIMITS)) {
      Random mine = sandbox.guestRandom();
      Random other = CompletableFuture.supplyAsync(sandbox::guestRandom).get();

      assertInstanceOf(SecureRandom.class, mine);
      assertSame(mine, sandbox.guestRandom(), "one per thread, not one per task");
      assertNotSame(mine, other, "slots do not share, so do not wait on, one generator");
    }
  }
}
