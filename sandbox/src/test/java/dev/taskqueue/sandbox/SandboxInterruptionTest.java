package dev.taskqueue.sandbox;

import static dev.taskqueue.sandbox.Runs.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import dev.taskqueue.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Timeouts and stops interrupt the guest wherever it is, a loop or a WASI sleep, and the outcome
 * says why the sandbox interrupted it; the interrupt never outlives the run.
 */
class SandboxInterruptionTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private final Sandbox sandbox = new Sandbox(new SandboxLimits(256, 1 << 20));
  private final List<String> out = Collections.synchronizedList(new ArrayList<>());
  private final List<String> err = new ArrayList<>();

  @AfterEach
  void tearDown() {
    sandbox.close();
  }

  @Test
  void anEndlessLoopIsInterruptedAtTheTimeoutAndTheThreadStaysClean() {
    Failed failed = failed(run("spin", Duration.ofMillis(300)));

    assertEquals(Failure.TIMEOUT, failed.failure());
    assertEquals("timed out after 300ms and was interrupted", failed.message());
    assertTrue(failed.elapsed().compareTo(Duration.ofSeconds(5)) < 0, failed.elapsed().toString());
    assertFalse(Thread.currentThread().isInterrupted(), "no interrupt leaks to the next call");
  }

  @Test
  void aSleepingGuestTimesOutLikeARunningOne() {
    Failed failed = failed(run("sleep", Duration.ofMillis(300)));

    assertEquals(Failure.TIMEOUT, failed.failure());
    assertEquals("timed out after 300ms and was interrupted", failed.message());
    assertTrue(failed.elapsed().compareTo(Duration.ofSeconds(5)) < 0, failed.elapsed().toString());
    assertFalse(Thread.currentThread().isInterrupted(), "no interrupt leaks to the next call");
  }

  @Test
  void stopAllInterruptsRunningGuestsAndLeavesTheirThreadsClean() throws Exception {
    assertStoppedCleanly("spin");
    Failed later = failed(run("echo", LONG));
    assertEquals(Failure.INTERRUPTED, later.failure(), "nothing new starts once stopping");
    assertEquals("not started: the worker is stopping", later.message());
  }

  @Test
  void stopAllInterruptsASleepingGuestSoThatItsTaskIsReleased() throws Exception {
    assertStoppedCleanly("sleep");
  }

  @Test
  void anInterruptFromElsewhereEndsTheGuestAndIsKept() throws Exception {
    assertForeignInterruptKept("spin");
  }

  @Test
  void anInterruptFromElsewhereEndsASleepAndIsKept() throws Exception {
    assertForeignInterruptKept("sleep");
  }

  private void assertStoppedCleanly(String guest) throws Exception {
    CompiledModule module = Guests.compile(Guests.wat(guest));
    CompletableFuture<Boolean> interruptLeaked = new CompletableFuture<>();
    CompletableFuture<Outcome> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              Outcome o = Runs.run(sandbox, module, "", LONG, out, err);
              interruptLeaked.complete(Thread.currentThread().isInterrupted());
              return o;
            });
    awaitStarted();

    sandbox.stopAll();

    Failed failed = failed(outcome.get(10, TimeUnit.SECONDS));
    assertEquals(Failure.INTERRUPTED, failed.failure());
    assertEquals("interrupted: the worker is stopping", failed.message());
    assertFalse(interruptLeaked.get(), "the slot thread can talk to Redis afterwards");
  }

  private void assertForeignInterruptKept(String guest) throws Exception {
    CompiledModule module = Guests.compile(Guests.wat(guest));
    CompletableFuture<Thread> runner = new CompletableFuture<>();
    CompletableFuture<Boolean> kept = new CompletableFuture<>();
    CompletableFuture<Outcome> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              runner.complete(Thread.currentThread());
              Outcome o = Runs.run(sandbox, module, "", LONG, out, err);
              kept.complete(Thread.interrupted());
              return o;
            });
    awaitStarted();
    runner.get().interrupt();

    assertEquals(Failure.INTERRUPTED, failed(outcome.get(10, TimeUnit.SECONDS)).failure());
    assertTrue(kept.get(), "an interrupt the sandbox did not send is not swallowed");
  }

  /** The guests say "started" before they loop or sleep. */
  private void awaitStarted() throws InterruptedException {
    Eventually.await(
        () -> List.copyOf(out), lines -> lines.contains("started"), LONG, "the guest starting");
  }

  private Outcome run(String guest, Duration timeout) {
    return Runs.run(sandbox, Guests.compile(Guests.wat(guest)), "{}", timeout, out, err);
  }
}
