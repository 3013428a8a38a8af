package dev.taskqueue.sandbox;

import static dev.taskqueue.sandbox.Runs.failed;
import static dev.taskqueue.sandbox.Runs.sink;
import static dev.taskqueue.sandbox.Runs.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import dev.taskqueue.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Waiting for a task's module is part of its run: it counts against its time and can be stopped.
 */
class SandboxModuleWaitTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private final Sandbox sandbox = new Sandbox(new SandboxLimits(256, 1 << 20));
  private final Map<String, byte[]> store = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();

  /** Loads wait for this; open unless a test closes it. */
  private volatile CountDownLatch gate = new CountDownLatch(0);

  private final ModuleCache cache = new ModuleCache(8, this::load);
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  @AfterEach
  void tearDown() {
    gate.countDown();
    cache.close();
    sandbox.close();
  }

  private byte[] load(String digest) {
    loads.incrementAndGet();
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading " + digest, e);
    }
    byte[] bytes = store.get(digest);
    if (bytes == null) {
      throw new NotFoundException("its bytes are no longer in the registry");
    }
    return bytes;
  }

  /** The run asked for its module, and the loader is held at the gate. */
  private void awaitLoading() throws InterruptedException {
    Eventually.await(loads::get, n -> n > 0, LONG, "the module loading");
  }

  private String put(byte[] bytes) {
    String digest = ModuleDigest.of(bytes);
    store.put(digest, bytes);
    return digest;
  }

  private Outcome run(String digest, Duration timeout) {
    return run(cache.load(digest), Budget.startingNow(timeout));
  }

  private Outcome run(CompletableFuture<CompiledModule> module, Budget budget) {
    return sandbox.run(module, "{}".getBytes(StandardCharsets.UTF_8), budget, sink(out), sink(err));
  }

  @Test
  void aModuleStillLoadingWhenTimeIsUpTimesOutAndIsCachedForTheNextAttempt() {
    String digest = put(Guests.wat("echo"));
    gate = new CountDownLatch(1);

    Failed failed = failed(run(digest, Duration.ofMillis(300)));

    assertEquals(Failure.TIMEOUT, failed.failure());
    assertEquals(
        "timed out after 300ms while its module was still loading (loading goes on for the next"
            + " attempt)",
        failed.message());
    assertTrue(failed.elapsed().compareTo(Duration.ofSeconds(5)) < 0, failed.elapsed().toString());
    assertFalse(Thread.currentThread().isInterrupted(), "no interrupt leaks to the next call");

    gate.countDown();
    assertEquals("{}", text(run(digest, LONG)));
    assertEquals(1, loads.get(), "the load went on, and the next attempt found it");
    assertEquals(1, cache.size());
  }

  @Test
  void stopAllWhileWaitingForTheModuleReleasesTheTask() throws Exception {
    String digest = put(Guests.wat("echo"));
    gate = new CountDownLatch(1);
    CompletableFuture<Boolean> interruptLeaked = new CompletableFuture<>();
    CompletableFuture<Outcome> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              Outcome o = run(digest, LONG);
              interruptLeaked.complete(Thread.currentThread().isInterrupted());
              return o;
            });
    awaitLoading();

    sandbox.stopAll();

    Failed failed = failed(outcome.get(5, TimeUnit.SECONDS));
    assertEquals(Failure.INTERRUPTED, failed.failure());
    assertEquals("interrupted: the worker is stopping", failed.message());
    assertFalse(interruptLeaked.get());
  }

  @Test
  void loadingCountsAgainstTheTimeout() throws Exception {
    String digest = put(Guests.wat("spin"));
    gate = new CountDownLatch(1);
    AtomicLong loadedAt = new AtomicLong();
    CompletableFuture<CompiledModule> module = cache.load(digest);
    CompletableFuture<Void> loaded = module.thenRun(() -> loadedAt.set(System.nanoTime()));
    Budget budget = Budget.startingNow(Duration.ofSeconds(2));
    CompletableFuture<Void> opened =
        CompletableFuture.runAsync(
            gate::countDown, CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS));

    Failed failed = failed(run(module, budget));
    long ran = System.nanoTime() - loadedAt.get();

    assertTrue(opened.isDone() && loaded.isDone());
    assertEquals(Failure.TIMEOUT, failed.failure());
    assertEquals("timed out after 2s and was interrupted", failed.message());
    assertTrue(
        ran < TimeUnit.MILLISECONDS.toNanos(1500),
        "the guest ran " + ran / 1_000_000 + " ms, not the whole 2 s: the load took the rest");
  }

  @Test
  void aModuleWhoseBytesAreGoneFailsWithTheLoadersReason() {
    Failed failed = failed(run(ModuleDigest.of(Guests.wat("echo")), LONG));

    assertEquals(Failure.MODULE_REMOVED, failed.failure());
    assertEquals("its bytes are no longer in the registry", failed.message());
  }

  @Test
  void aModuleThatCannotBeFetchedBecauseRedisIsDownIsNotTheTasksFault() {
    ModuleCache unreachable =
        new ModuleCache(
            8,
            digest -> {
              throw new RedisUnavailableException("Redis stopped answering (refused)", null);
            });
    try {
      gate.countDown();
      Failed failed =
          failed(
              run(unreachable.load(ModuleDigest.of(Guests.wat("echo"))), Budget.startingNow(LONG)));

      assertEquals(Failure.UNAVAILABLE, failed.failure());
      assertEquals(
          "not started: its module could not be fetched (Redis stopped answering (refused))",
          failed.message());
    } finally {
      unreachable.close();
    }
  }

  @Test
  void aModuleOverTheLimitsIsRefusedWhenLoaded() {
    String digest = put(Guests.wat("many-tables"));

    Failed failed = failed(run(digest, LONG));

    assertEquals(Failure.MODULE, failed.failure());
    assertEquals(
        digest
            + " is too large for a worker: it has 60 tables, over the limit of 16; it has"
            + " 540,000,000 table elements, over the limit of 100,000 over all tables (see"
            + " Limits in docs/abi.md)",
        failed.message());
  }

  @Test
  void closingTheCacheWhileATaskWaitsReleasesIt() throws Exception {
    String digest = put(Guests.wat("echo"));
    gate = new CountDownLatch(1);
    CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> run(digest, LONG));
    awaitLoading();

    cache.close();

    assertEquals(Failure.INTERRUPTED, failed(outcome.get(5, TimeUnit.SECONDS)).failure());
  }
}
