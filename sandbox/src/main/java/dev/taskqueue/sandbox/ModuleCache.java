package dev.taskqueue.sandbox;

import dev.taskqueue.module.ModuleDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Compiled modules by digest, least recently used evicted first. Modules are fetched, validated and
 * compiled on the cache's own loader threads, never on the caller's: a task waiting for its module
 * can give up when its time is up or the worker stops, while the load goes on and is cached for the
 * next attempt. Callers that need the same module at once share one load; a failed load is not
 * cached, so the next task tries again.
 *
 * <p>Loading takes heap in proportion to a module's code (see {@link ModuleLimits}), so the loader
 * threads are few (one by default); they are daemons, catch everything a load throws, and {@link
 * #close} stops them.
 */
public final class ModuleCache implements AutoCloseable {
  private static final AtomicInteger CACHES = new AtomicInteger();

  private final int capacity;
  private final Function<String, byte[]> loader;
  private final ExecutorService loaders;
  private final LinkedHashMap<String, CompletableFuture<CompiledModule>> entries;
  private boolean closed;

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
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
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
   */
  public CompletableFuture<CompiledModule> load(String digest) {
    CompletableFuture<CompiledModule> entry;
    synchronized (this) {
      if (closed) {
        entry = new CompletableFuture<>();
        entry.completeExceptionally(closedError());
        return entry.copy();
      }
      entry = entries.get(digest);
      if (entry == null) {
        CompletableFuture<CompiledModule> created = new CompletableFuture<>();
        entries.put(digest, created);
        evictBeyondCapacity();
        loaders.execute(() -> loadInto(digest, created));
        entry = created;
      }
    }
    // A copy, so that a caller who cancels or completes it cannot touch the shared entry.
    return entry.copy();
  }

  /** How many modules are held, loaded or loading. */
  public synchronized int size() {
    return entries.size();
  }

  /** Stops the loader threads; loads not finished fail with a {@link CancellationException}. */
  @Override
  public void close() {
    List<CompletableFuture<CompiledModule>> pending;
    synchronized (this) {
      closed = true;
      pending = new ArrayList<>(entries.values());
    }
    // Fail the waiters first: an interrupted load must not be reported as the module's fault.
    for (CompletableFuture<CompiledModule> entry : pending) {
      entry.completeExceptionally(closedError());
    }
    loaders.shutdownNow();
  }

  private static CancellationException closedError() {
    return new CancellationException("the module cache is closed");
  }

  private void loadInto(String digest, CompletableFuture<CompiledModule> entry) {
    try {
      entry.complete(compile(digest));
    } catch (Throwable e) { // an error of one load, even OutOfMemoryError, is that load's failure
      synchronized (this) {
        entries.remove(digest, entry);
      }
      entry.completeExceptionally(e);
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

  private void evictBeyondCapacity() {
    var it = entries.entrySet().iterator();
    while (entries.size() > capacity && it.hasNext()) {
      Map.Entry<String, CompletableFuture<CompiledModule>> eldest = it.next();
      if (eldest.getValue().isDone()) {
        it.remove();
      }
    }
  }
}
