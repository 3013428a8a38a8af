package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import dev.taskqueue.task.TaskLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Sandbox sandbox = new Sandbox(new SandboxLimits(256, 1 << 20));
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  @AfterEach
  void tearDown() {
    sandbox.close();
  }

  @Test
  void runsTheGreeterAndCapturesItsStreamsApart() {
    Outcome outcome = run(Guests.sample("greeter.wasm"), "{\"name\":\"Ada\"}", TIMEOUT);

    assertEquals("{\"greeting\":\"Hello, Ada!\"}", text(outcome));
    assertEquals(List.of("Hello, Ada!"), out);
    assertEquals(List.of("greeter: greeted 1 name"), err);
  }

  @Test
  void runsEverySampleOnItsExamplePayload() {
    assertTrue(text(runExample("wordcount.wasm", "wordcount")).contains("\"words\":"));
    assertTrue(text(runExample("checksum.wasm", "checksum")).contains("\"digest\":\""));
    assertEquals(
        new String(Guests.example("uppercase"), StandardCharsets.UTF_8)
            .toUpperCase(java.util.Locale.ROOT),
        text(runExample("uppercase.wat", "uppercase")));
  }

  @Test
  void checksumMatchesTheJavaComputationOfTheSameBuffer() throws Exception {
    Outcome outcome = run(Guests.sample("checksum.wasm"), "{\"bytes\":4096,\"rounds\":1}", TIMEOUT);

    byte[] buffer = new byte[4096];
    int state = 1;
    for (int i = 0; i < buffer.length; i += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      for (int b = 0; b < 4; b++) {
        buffer[i + b] = (byte) (state >>> (8 * b));
      }
    }
    String expected =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(buffer));
    assertTrue(text(outcome).contains("\"digest\":\"" + expected + "\""), text(outcome));
  }

  @Test
  void everyRunGetsAFreshInstance() {
    CompiledModule counter = Guests.compile(Guests.wat("counter"));

    for (int i = 0; i < 3; i++) {
      assertEquals("1", text(Runs.run(sandbox, counter, "", TIMEOUT, out, err)));
    }
  }

  @Test
  void aTrapFailsTheAttemptWithItsReasonAndTheExportItWasIn() {
    Failed failed = failed(run(Guests.wat("trap"), "{}", TIMEOUT));

    assertEquals(Failure.TRAP, failed.failure());
    assertEquals("trapped in execute: Trapped on unreachable instruction", failed.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"_initialize", "alloc"})
  void aTrapBeforeExecuteNamesTheExportItWasIn(String export) {
    String wat =
        """
        (module
          (memory (export "memory") 1)
          (func (export "_initialize") %s)
          (func (export "alloc") (param i32) (result i32) %s (i32.const 0))
          (func (export "execute") (param i32 i32) (result i64) (i64.const 0)))
        """
            .formatted(
                export.equals("_initialize") ? "unreachable" : "",
                export.equals("alloc") ? "unreachable" : "");

    Failed failed = failed(run(WatAssembler.assemble(wat, export + ".wat"), "{}", TIMEOUT));

    assertEquals(Failure.TRAP, failed.failure());
    assertEquals("trapped in " + export + ": Trapped on unreachable instruction", failed.message());
  }

  @Test
  void aNonZeroExitFailsTheAttemptAndKeepsWhatWasPrinted() {
    Failed failed = failed(run(Guests.sample("wordcount.wasm"), "{\"txt\":1}", TIMEOUT));

    assertEquals(Failure.EXIT, failed.failure());
    assertEquals("exited with code 2", failed.message());
    assertEquals(
        List.of("wordcount: payload needs a \"text\" string, e.g. {\"text\":\"hello world\"}"),
        err);
  }

  @Test
  void aRawProcExitFromExecuteIsAFailureToo() {
    Failed failed = failed(run(Guests.wat("exit-code"), "{}", TIMEOUT));

    assertEquals(Failure.EXIT, failed.failure());
    assertEquals("exited with code 7", failed.message());
    assertEquals(List.of("giving up"), err);
  }

  @Test
  void exitZeroFromExecuteIsAFailureBecauseThereIsNoResult() {
    Failed failed = failed(run(Guests.wat("exit-zero"), "{}", TIMEOUT));

    assertEquals(Failure.EXIT, failed.failure());
    assertEquals("exited with code 0 instead of returning a result", failed.message());
  }

  @Test
  void exitZeroFromStartIsANormalEndOfSetUp() {
    assertEquals("{\"a\":1}", text(run(Guests.wat("exit-start"), "{\"a\":1}", TIMEOUT)));
  }

  @Test
  void memoryGrowsOnlyUpToTheCap() {
    assertEquals("256", text(run(Guests.wat("hog"), "{}", TIMEOUT)));
  }

  @Test
  void aModuleThatStartsAboveTheCapCannotRun() {
    Failed failed = failed(run(Guests.wat("big-memory"), "{}", TIMEOUT));

    assertEquals(Failure.LIMIT, failed.failure());
    assertEquals(
        "the module starts with 2048 memory pages but at most 256 are allowed"
            + " (TASK_QUEUE_MAX_MEMORY_PAGES)",
        failed.message());
  }

  @Test
  void pointersOutsideMemoryAreRejected() {
    Failed result = failed(run(Guests.wat("bad-result"), "{}", TIMEOUT));
    assertEquals(Failure.ABI, result.failure());
    assertEquals(
        "execute returned a result at 2147418112 of 16 bytes, outside the module's memory",
        result.message());

    Failed alloc = failed(run(Guests.wat("bad-alloc"), "{}", TIMEOUT));
    assertEquals(Failure.ABI, alloc.failure());
    assertEquals("alloc(2) returned 65536, outside the module's memory", alloc.message());
  }

  @Test
  void aResultOverTheLimitFails() {
    try (Sandbox tight = new Sandbox(new SandboxLimits(256, 4))) {
      Outcome outcome =
          Runs.run(tight, Guests.compile(Guests.wat("echo")), "12345", TIMEOUT, out, err);

      Failed failed = failed(outcome);
      assertEquals(Failure.LIMIT, failed.failure());
      assertEquals(
          "the result is 5 bytes but at most 4 are allowed (TASK_QUEUE_MAX_RESULT_BYTES)",
          failed.message());
    }
  }

  /** Issue 16: a module's own lower limits hold, and its messages say they are the module's. */
  @Test
  void aTasksOwnLowerLimitsHoldAndNameTheirSource() {
    SandboxLimits worker = new SandboxLimits(256, 1 << 20);
    SandboxLimits module =
        worker.lowered(
            new TaskLimits(OptionalInt.of(8), OptionalLong.empty(), OptionalLong.of(4)),
            "the module's");

    Outcome hog = runWith(Guests.wat("hog"), "{}", module, Map.of());
    Failed echo = failed(runWith(Guests.wat("echo"), "12345", module, Map.of()));
    Failed big = failed(runWith(Guests.wat("big-memory"), "{}", module, Map.of()));

    assertEquals("8", text(hog), "memory.grow refused at the module's 8 pages");
    assertEquals(
        "the result is 5 bytes but at most 4 are allowed (the module's --max-result)",
        echo.message());
    assertTrue(big.message().endsWith("at most 8 are allowed (the module's --memory-pages)"));
    assertEquals(
        worker,
        worker.lowered(
            new TaskLimits(OptionalInt.of(1000), OptionalLong.empty(), OptionalLong.of(1L << 30)),
            "the module's"),
        "never raised above the worker's");
  }

  /** Issue 16: a guest sees the variables its module was granted, and the next guest does not. */
  @Test
  void aGuestSeesOnlyTheEnvironmentItWasGranted() {
    byte[] environ = Guests.wat("environ");
    SandboxLimits limits = new SandboxLimits(256, 1 << 20);
    Map<String, String> granted = new TreeMap<>(Map.of("REGION", "eu", "API_URL", "https://x/"));

    assertEquals("API_URL=https://x/\0REGION=eu\0", text(runWith(environ, "{}", limits, granted)));
    assertEquals("", text(runWith(environ, "{}", limits, Map.of())), "the next task: none");
    assertEquals("", text(run(environ, "{}", TIMEOUT)), "a run with no grant: none");
  }

  /** A run is no longer timed once it ends, not when its timeout would have passed. */
  @Test
  void noRunIsTimedPastItsEnd() {
    byte[] echo = Guests.wat("echo");
    for (int i = 0; i < 100; i++) {
      assertEquals("{}", text(run(echo, "{}", Duration.ofHours(1))));
    }

    assertEquals(0, sandbox.runsTimed());
  }

  private Outcome runExample(String module, String task) {
    return sandbox.run(
        CompletableFuture.completedFuture(Guests.compile(Guests.sample(module))),
        Guests.example(task),
        Budget.startingNow(TIMEOUT),
        Runs.sink(out),
        Runs.sink(err));
  }

  private Outcome run(byte[] module, String payload, Duration timeout) {
    return Runs.run(sandbox, Guests.compile(module), payload, timeout, out, err);
  }

  private Outcome runWith(
      byte[] module, String payload, SandboxLimits limits, Map<String, String> env) {
    return sandbox.run(
        CompletableFuture.completedFuture(Guests.compile(module)),
        payload.getBytes(StandardCharsets.UTF_8),
        Budget.startingNow(TIMEOUT),
        Runs.sink(out),
        Runs.sink(err),
        limits,
        env);
  }

  private static String text(Outcome outcome) {
    return Runs.text(outcome);
  }

  private static Failed failed(Outcome outcome) {
    return Runs.failed(outcome);
  }
}
