package dev.taskqueue.sandbox;

import static dev.taskqueue.sandbox.Runs.failed;
import static dev.taskqueue.sandbox.Runs.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import dev.taskqueue.sandbox.Outcome.Succeeded;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tables are capped and fresh for every instance, like memory. */
class SandboxErrorsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final SandboxLimits LIMITS = new SandboxLimits(256, 1 << 20);

  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  @Test
  void hugeTablesAreALimitFailureEvenIfTheValidatorWasBypassed() {
    try (Sandbox sandbox = new Sandbox(LIMITS)) {
      Failed failed = failed(run(sandbox, Guests.compileUnvalidated(Guests.wat("many-tables"))));

      assertEquals(Failure.LIMIT, failed.failure());
      assertEquals(
          "the module starts with 540000000 table elements but at most 100000 are allowed",
          failed.message());
      assertEquals("{}", text(run(sandbox, Guests.compile(Guests.wat("echo")))));
    }
  }

  @Test
  void tablesGrowOnlyUpToTheCapAndEveryInstanceStartsAfresh() {
    CompiledModule module = Guests.compile(Guests.wat("table-grow"));
    try (Sandbox sandbox = new Sandbox(LIMITS)) {
      for (int run = 0; run < 2; run++) {
        Succeeded done = assertInstanceOf(Succeeded.class, run(sandbox, module));
        ByteBuffer result = ByteBuffer.wrap(done.result()).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals(2, result.getInt(), "run " + run + ": the size after growing by one");
        assertEquals(-1, result.getInt(), "run " + run + ": growing by a million is refused");
      }
    }
  }

  private Outcome run(Sandbox sandbox, CompiledModule module) {
    return Runs.run(sandbox, module, "{}", TIMEOUT, out, err);
  }
}
