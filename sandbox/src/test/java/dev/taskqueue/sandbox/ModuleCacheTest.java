package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.module.ModuleDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModuleCacheTest {
  private final Map<String, byte[]> store = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final List<ModuleCache> caches = new ArrayList<>();

  @AfterEach
  void tearDown() {
    caches.forEach(ModuleCache::close);
  }

  private ModuleCache cache(int capacity) {
    return cache(capacity, this::load);
  }

  private ModuleCache cache(int capacity, java.util.function.Function<String, byte[]> loader) {
    ModuleCache cache = new ModuleCache(capacity, loader);
    caches.add(cache);
    return cache;
  }

  private String put(byte[] bytes) {
    String digest = ModuleDigest.of(bytes);
    store.put(digest, bytes);
    return digest;
  }

  private byte[] load(String digest) {
    loads.incrementAndGet();
    byte[] bytes = store.get(digest);
    if (bytes == null) {
      throw new IllegalStateException("module " + digest + " is not in the registry");
    }
    return bytes;
  }

  private static Throwable failure(CompletableFuture<CompiledModule> load) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> load.get(20, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void compilesEachDigestOnceEvenUnderConcurrentUse() throws Exception {
    ModuleCache cache = cache(8);
    String digest = put(Guests.sample("greeter.wasm"));

    List<CompletableFuture<CompiledModule>> waits = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      waits.add(CompletableFuture.supplyAsync(() -> cache.load(digest).join()));
    }
    CompiledModule first = waits.get(0).get(20, TimeUnit.SECONDS);
    for (CompletableFuture<CompiledModule> wait : waits) {
      assertSame(first, wait.get(20, TimeUnit.SECONDS));
    }
    assertEquals(1, loads.get());
  }

  @Test
  void evictsTheLeastRecentlyUsedBeyondCapacity() {
    ModuleCache cache = cache(1);
    String echo = put(Guests.wat("echo"));
    String counter = put(Guests.wat("counter"));

    cache.load(echo).join();
    cache.load(counter).join();
    cache.load(echo).join();

    assertEquals(3, loads.get());
    assertEquals(1, cache.size());
  }

  @Test
  void aModuleInUseOutlivesOneLeftIdle() {
    ModuleCache cache = cache(2);
    String echo = put(Guests.wat("echo"));
    String counter = put(Guests.wat("counter"));
    String random = put(Guests.wat("random"));

    cache.load(echo).join();
    cache.load(counter).join();
    cache.load(echo).join(); // a compile later, so more than a millisecond after counter's load
    cache.load(random).join();
    cache.load(echo).join();

    assertEquals(3, loads.get(), "counter was evicted, echo never");
    assertEquals(2, cache.size());
    cache.load(counter).join();
    assertEquals(4, loads.get());
  }

  @Test
  void aFailedLoadIsNotCached() {
    ModuleCache cache = cache(4);
    byte[] echo = Guests.wat("echo");
    String digest = ModuleDigest.of(echo);

    assertInstanceOf(IllegalStateException.class, failure(cache.load(digest)));
    store.put(digest, echo);

    cache.load(digest).join();
    assertEquals(2, loads.get());
  }

  @Test
  void bytesThatDoNotMatchTheirDigestAreRefused() {
    ModuleCache cache = cache(4);
    String digest = ModuleDigest.of(Guests.wat("echo"));
    store.put(digest, Guests.wat("counter"));

    Throwable error = failure(cache.load(digest));

    assertInstanceOf(IllegalStateException.class, error);
    assertTrue(error.getMessage().endsWith("the registry is corrupt"), error.getMessage());
  }

  @Test
  void aModuleOverTheLimitsIsRefusedBeforeItIsParsed() {
    ModuleCache cache = cache(4);
    String digest = put(Guests.wat("many-tables"));

    Throwable error = failure(cache.load(digest));

    assertInstanceOf(InvalidModuleException.class, error);
    assertTrue(error.getMessage().contains("it has 60 tables, over the limit of 16"));
  }

  @Test
  void loadingNeverBlocksTheCallerAndRunsOnADaemonThread() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CompletableFuture<Thread> loaderThread = new CompletableFuture<>();
    String digest = put(Guests.wat("echo"));
    ModuleCache cache =
        cache(
            4,
            d -> {
              loaderThread.complete(Thread.currentThread());
              awaitQuietly(gate);
              return load(d);
            });

    CompletableFuture<CompiledModule> module = cache.load(digest);

    assertFalse(module.isDone(), "the load waits on the gate, the caller does not");
    Thread loader = loaderThread.get(5, TimeUnit.SECONDS);
    assertTrue(loader.isDaemon(), "a stuck load cannot keep the JVM alive");
    assertFalse(loader == Thread.currentThread());
    gate.countDown();
    assertEquals(digest, module.get(20, TimeUnit.SECONDS).digest());
  }

  @Test
  void anErrorInOneLoadFailsThatLoadOnly() {
    String good = put(Guests.wat("echo"));
    String bad = ModuleDigest.of(Guests.wat("counter"));
    ModuleCache cache =
        cache(
            4,
            d -> {
              if (d.equals(bad)) {
                throw new OutOfMemoryError("Java heap space");
              }
              return load(d);
            });

    assertInstanceOf(OutOfMemoryError.class, failure(cache.load(bad)));
    assertEquals(good, cache.load(good).join().digest());
    assertEquals(1, cache.size(), "the failed load is not cached");
  }

  @Test
  void closeStopsTheLoaderAndCancelsWhatIsStillLoading() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    String digest = put(Guests.wat("echo"));
    ModuleCache cache =
        cache(
            4,
            d -> {
              try {
                gate.await();
                interrupted.complete(false);
              } catch (InterruptedException e) {
                interrupted.complete(true);
              }
              return load(d);
            });
    CompletableFuture<CompiledModule> module = cache.load(digest);
    Thread.sleep(100);

    cache.close();

    assertInstanceOf(CancellationException.class, failure(module));
    assertTrue(interrupted.get(5, TimeUnit.SECONDS), "the loader thread was interrupted");
    assertInstanceOf(CancellationException.class, failure(cache.load(digest)));
  }

  @Test
  void aLoadedModuleIsNotHandedOutOnceClosed() {
    ModuleCache cache = cache(4);
    String digest = put(Guests.wat("echo"));
    cache.load(digest).join();

    cache.close();

    assertInstanceOf(CancellationException.class, failure(cache.load(digest)));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
