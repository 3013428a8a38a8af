package dev.taskqueue.sandbox;

import dev.taskqueue.module.ModuleDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Compiled modules by digest, least recently used (to the millisecond) evicted first. Modules are
 * fetched, validated and compiled on the cache's own loader threads, never on the caller's: a task
 * waiting for its module can give up when its time is up or the worker stops, while the load goes
 * on and is cached for the next attempt. Callers that need the same module at once share one load;
 * a failed load is not cached, so the next task tries again.
 *
 * <p>Loading takes heap in proportion to a module's code (see {@link ModuleLimits}), so the loader
 * threads are few (one by default); they are daemons, catch everything a load throws, and {@link
 * #close} stops them.
 */
public final class ModuleCache implements AutoCloseable {
  private static final AtomicInteger CACHES = new AtomicInteger();
  private static final long TOUCH_NANOS = 1_000_000;

  private final int capacity;
  private final Function<String, byte[]> loader;
  private final ExecutorService loaders;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final Stats stats = new Stats();
  private volatile boolean closed;

  /**
   * What the cache did: loads it spared (a hit: the module was held, or already loading), loads it
   * started (a miss), and the time those took: reading the bytes, validating and compiling.
   */
  public static final class Stats {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();

    public long hits() {
      return hits.sum();
    }

    public long misses() {
      return misses.sum();
    }

    /** Time spent loading and compiling, all loads together, ns. */
    public long loadNanos() {
      return loadNanos.sum();
    }
  }

  /** One module, loaded or loading, and when a task last asked for it. */
  private static final class Entry {
    final CompletableFuture<CompiledModule> module = new CompletableFuture<>();

    /**
     * {@link System#nanoTime()} of a recent {@link #load}, to the millisecond: written without a
     * lock and at most once a millisecond, so that slots asking at once do not fight over it.
     * Eviction can bear recency that is a little off.
     */
    volatile long lastUsed = System.nanoTime();

    void touch() {
      long now = System.nanoTime();
      if (now - lastUsed > TOUCH_NANOS) {
        lastUsed = now;
      }
    }
  }

  /**
   * @param loader reads a module's bytes by digest; it throws when they cannot be had
   */
  public ModuleCache(int capacity, Function<String, byte[]> loader) {
    this(capacity, loader, 1);
  }

  /** A cache loading on {@code threads} threads. */
  ModuleCache(int capacity, Function<String, byte[]> loader, int threads) {
    this.capacity = capacity;
    this.loader = loader;
    String prefix = "module-loader-" + CACHES.incrementAndGet() + "-";
    AtomicInteger count = new AtomicInteger();
    this.loaders =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread thread = new Thread(r, prefix + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * The compiled module with this digest, loaded and compiled on a loader thread on first use;
   * never blocks. The future fails with what the load threw ({@link InvalidModuleException}, the
   * loader's exception), or with a {@link CancellationException} when the cache is closed first.
   *
   * <p>A module already held costs a map read and no lock: every task asks, nearly always for a
   * module it has.
   */
  public CompletableFuture<CompiledModule> load(String digest) {
    Entry entry = entries.get(digest);
    if (entry == null || closed) {
      entry = startLoad(digest);
      if (entry == null) {
        // Copied like an entry, so that get() reports it the same way: an ExecutionException.
        return CompletableFuture.<CompiledModule>failedFuture(closedError()).copy();
      }
    } else {
      stats.hits.increment();
      entry.touch();
    }
    // A copy, so that a caller who cancels or completes it cannot touch the shared entry.
    return entry.module.copy();
  }

  /** What the cache did so far. */
  public Stats stats() {
    return stats;
  }

  /** How many modules are held, loaded or loading. */
  public int size() {
    return entries.size();
  }

  /** Stops the loader threads; loads not finished fail with a {@link CancellationException}. */
  @Override
  public void close() {
    List<Entry> pending;
    synchronized (this) {
      closed = true;
      pending = new ArrayList<>(entries.values());
    }
    // Fail the waiters first: an interrupted load must not be reported as the module's fault.
    for (Entry entry : pending) {
      entry.module.completeExceptionally(closedError());
    }
    loaders.shutdownNow();
  }

  /**
   * The entry for {@code digest}, its load started if nobody started it; null once closed. Under
   * the lock, so that two callers share one load and no load starts after {@link #close}.
   */
  private synchronized Entry startLoad(String digest) {
    if (closed) {
      return null;
    }
    Entry entry = entries.get(digest);
    if (entry == null) {
      Entry created = new Entry();
      entries.put(digest, created);
      evictBeyondCapacity();
      loaders.execute(() -> loadInto(digest, created));
      stats.misses.increment();
      entry = created;
    } else {
      stats.hits.increment(); // another slot started its load a moment ago
    }
    return entry;
  }

  private static CancellationException closedError() {
    return new CancellationException("the module cache is closed");
  }

  private void loadInto(String digest, Entry entry) {
    long start = System.nanoTime();
    try {
      entry.module.complete(compile(digest));
    } catch (Throwable e) { // an error of one load, even OutOfMemoryError, is that load's failure
      entries.remove(digest, entry);
      entry.module.completeExceptionally(e);
    } finally {
      stats.loadNanos.add(System.nanoTime() - start);
    }
  }

  private CompiledModule compile(String digest) {
    byte[] bytes = loader.apply(digest);
    String actual = ModuleDigest.of(bytes);
    if (!actual.equals(digest)) {
      throw new IllegalStateException(
          "module bytes stored as " + digest + " hash to " + actual + ": the registry is corrupt");
    }
    TaskModule module = ModuleValidator.validate(bytes, digest);
    try {
      return CompiledModule.compile(digest, module);
    } catch (OutOfMemoryError e) {
      throw ModuleValidator.outOfMemory(digest, "compiled", e);
    }
  }

  /**
   * Drops the least recently used loaded modules while there are too many; loads in flight stay.
   */
  private void evictBeyondCapacity() {
    while (entries.size() > capacity) {
      Map.Entry<String, Entry> eldest = null;
      for (Map.Entry<String, Entry> e : entries.entrySet()) {
        if (e.getValue().module.isDone()
            && (eldest == null || e.getValue().lastUsed < eldest.getValue().lastUsed)) {
          eldest = e;
        }
      }
      if (eldest == null) {
        return;
      }
      entries.remove(eldest.getKey(), eldest.getValue());
    }
  }
}
