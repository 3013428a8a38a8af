package dev.taskqueue.sandbox;

import dev.taskqueue.module.ModuleDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Compiled modules by digest, least recently used evicted first. Slots that need the same module at
 * once wait for one compilation; a failed load or compilation is not cached, so the next task tries
 * again.
 */
public final class ModuleCache {
  private final int capacity;
  private final Function<String, byte[]> loader;
  private final LinkedHashMap<String, CompletableFuture<CompiledModule>> entries;

  /**
   * @param loader reads a module's bytes by digest; it throws when they cannot be had
   */
  public ModuleCache(int capacity, Function<String, byte[]> loader) {
    this.capacity = capacity;
    this.loader = loader;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** The compiled module with this digest, loading and compiling it on first use. */
  public CompiledModule get(String digest) {
    CompletableFuture<CompiledModule> entry;
    boolean mine = false;
    synchronized (this) {
      entry = entries.get(digest);
      if (entry == null) {
        entry = new CompletableFuture<>();
        entries.put(digest, entry);
        mine = true;
        evictBeyondCapacity();
      }
    }
    if (mine) {
      try {
        entry.complete(load(digest));
      } catch (RuntimeException e) {
        synchronized (this) {
          entries.remove(digest, entry);
        }
        entry.completeExceptionally(e);
      }
    }
    try {
      return entry.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /** How many modules are held. */
  public synchronized int size() {
    return entries.size();
  }

  private CompiledModule load(String digest) {
    byte[] bytes = loader.apply(digest);
    String actual = ModuleDigest.of(bytes);
    if (!actual.equals(digest)) {
      throw new IllegalStateException(
          "module bytes stored as " + digest + " hash to " + actual + ": the registry is corrupt");
    }
    return CompiledModule.compile(digest, ModuleValidator.validate(bytes, digest));
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
