package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskqueue.module.ModuleDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModuleCacheTest {
  private final Map<String, byte[]> store = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();

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

  @Test
  void compilesEachDigestOnceEvenUnderConcurrentUse() throws Exception {
    ModuleCache cache = new ModuleCache(8, this::load);
    String digest = put(Guests.sample("greeter.wasm"));

    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<CompiledModule>> gets = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        gets.add(pool.submit(() -> cache.get(digest)));
      }
      CompiledModule first = gets.get(0).get();
      for (Future<CompiledModule> get : gets) {
        assertSame(first, get.get());
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(1, loads.get());
  }

  @Test
  void evictsTheLeastRecentlyUsedBeyondCapacity() {
    ModuleCache cache = new ModuleCache(1, this::load);
    String echo = put(Guests.wat("echo"));
    String counter = put(Guests.wat("counter"));

    cache.get(echo);
    cache.get(counter);
    cache.get(echo);

    assertEquals(3, loads.get());
    assertEquals(1, cache.size());
  }

  @Test
  void aFailedLoadIsNotCached() {
    ModuleCache cache = new ModuleCache(4, this::load);
    byte[] echo = Guests.wat("echo");
    String digest = ModuleDigest.of(echo);

    assertThrows(IllegalStateException.class, () -> cache.get(digest));
    store.put(digest, echo);

    cache.get(digest);
    assertEquals(2, loads.get());
  }

  @Test
  void bytesThatDoNotMatchTheirDigestAreRefused() {
    ModuleCache cache = new ModuleCache(4, this::load);
    String digest = ModuleDigest.of(Guests.wat("echo"));
    store.put(digest, Guests.wat("counter"));

    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> cache.get(digest));

    assertEquals(true, error.getMessage().endsWith("the registry is corrupt"));
  }
}
