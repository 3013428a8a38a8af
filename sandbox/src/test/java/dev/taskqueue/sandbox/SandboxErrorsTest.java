package dev.taskqueue.sandbox;

import static dev.taskqueue.sandbox.Runs.failed;
import static dev.taskqueue.sandbox.Runs.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import dev.taskqueue.sandbox.Outcome.Succeeded;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No error of the JVM escapes a run: what would kill the slot thread becomes an outcome, and the
 * sandbox runs the next task. Tables are capped and fresh for every instance, like memory.
 */
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
  void runningOutOfHeapIsALimitFailureAndTheNextTaskRuns() {
    // 60 tables of 9 million elements need over 4 GiB; the build gives tests 512 MiB (argLine).
    assertTrue(
        Runtime.getRuntime().maxMemory() < 4L << 30,
        "this test needs a heap under 4 GiB, as sandbox/pom.xml's argLine gives it");
    SandboxLimits uncapped = new SandboxLimits(256, 1 << 20, Long.MAX_VALUE);
    try (Sandbox sandbox = new Sandbox(uncapped)) {
      Failed failed = failed(run(sandbox, Guests.compileUnvalidated(Guests.wat("many-tables"))));

      assertEquals(Failure.LIMIT, failed.failure());
      assertTrue(
          failed.message().startsWith("ran out of memory: the worker's heap could not hold"),
          failed.message());
      assertEquals("{}", text(run(sandbox, Guests.compile(Guests.wat("echo")))));
    }
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(
            new OutOfMemoryError("Java heap space"),
            Failure.LIMIT,
            "ran out of memory: the worker's heap could not hold what the task needed (Java heap"
                + " space); lower its memory or table sizes, or give the worker more heap"),
        Arguments.of(
            new StackOverflowError(), Failure.TRAP, "trapped in execute: call stack exhausted"),
        Arguments.of(
            new NoClassDefFoundError("com/example/Missing"),
            Failure.TRAP,
            "trapped in execute: the runtime failed with NoClassDefFoundError:"
                + " com/example/Missing"),
        Arguments.of(
            new IllegalStateException("host bug"),
            Failure.TRAP,
            "trapped in execute: the runtime failed with IllegalStateException: host bug"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void whatAHostFunctionThrowsBecomesAFailureAndTheNextTaskRuns(
      Throwable error, Failure failure, String message) {
    // random_get is a host function; its source throwing stands for any error inside Chicory.
    Supplier<Random> throwing =
        () ->
            new Random() {
              private static final long serialVersionUID = 1L;

              @Override
              public void nextBytes(byte[] bytes) {
                sneakyThrow(error);
              }
            };
    try (Sandbox sandbox = new Sandbox(LIMITS, throwing)) {
      Failed failed = failed(run(sandbox, Guests.compile(Guests.wat("random"))));

      assertEquals(failure, failed.failure());
      assertEquals(message, failed.message());
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

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
    throw (E) e;
  }
}
