package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A module's initializer run alone, as the registry checks a module at upload. */
class SandboxInitializeTest {
  private static final SandboxLimits LIMITS = new SandboxLimits(256, 1 << 20);

  private final Sandbox sandbox = new Sandbox(LIMITS);
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  @AfterEach
  void tearDown() {
    sandbox.close();
  }

  @Test
  void anInitializerThatReturnsSucceedsWithoutCallingExecute() {
    Outcome outcome = initialize(module("(call $print)", "unreachable"), Duration.ofSeconds(20));

    Outcome.Succeeded done = assertInstanceOf(Outcome.Succeeded.class, outcome);
    assertArrayEquals(new byte[0], done.result());
    assertEquals(List.of("started"), err, "what it printed went where it was sent");
  }

  @Test
  void aTrapInTheInitializerIsNamed() {
    Failed failed = Runs.failed(initialize(module("unreachable", ""), Duration.ofSeconds(20)));

    assertEquals(Failure.TRAP, failed.failure());
    assertEquals("trapped in _initialize: Trapped on unreachable instruction", failed.message());
  }

  @Test
  void anInitializerThatNeverReturnsTimesOut() {
    Failed failed = Runs.failed(initialize(Guests.wat("init-loop"), Duration.ofMillis(300)));

    assertEquals(Failure.TIMEOUT, failed.failure());
    assertEquals("timed out after 300ms and was interrupted", failed.message());
  }

  @Test
  void anExitInTheInitializerIsNamedButExitZeroIsAnEnd() {
    String exit = "(call $exit (i32.const %d))";
    Failed failed = Runs.failed(initialize(module(exit.formatted(3), ""), Duration.ofSeconds(20)));

    assertEquals(Failure.EXIT, failed.failure());
    assertEquals("exited with code 3 in _initialize, before execute", failed.message());
    assertInstanceOf(
        Outcome.Succeeded.class,
        initialize(module(exit.formatted(0), ""), Duration.ofSeconds(20)),
        "a command's _start may end with exit(0)");
  }

  private Outcome initialize(byte[] module, Duration timeout) {
    return sandbox.initialize(
        Guests.compile(module),
        Budget.startingNow(timeout),
        Runs.sink(out),
        Runs.sink(err),
        LIMITS,
        Map.of());
  }

  /**
   * A module whose {@code _initialize} runs {@code init} and whose {@code execute} runs {@code
   * execute}.
   */
  private static byte[] module(String init, String execute) {
    String wat =
        """
        (module
          (import "wasi_snapshot_preview1" "fd_write"
            (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "started\\n")
          (data (i32.const 0) "\\10\\00\\00\\00\\08\\00\\00\\00")
          (func $print (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8))))
          (func (export "_initialize") %s)
          (func (export "alloc") (param i32) (result i32) (i32.const 0))
          (func (export "execute") (param i32 i32) (result i64) %s (i64.const 0)))
        """
            .formatted(init, execute);
    return WatAssembler.assemble(wat, "init.wat");
  }
}
