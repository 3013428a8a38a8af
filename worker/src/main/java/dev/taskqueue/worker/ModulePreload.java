package dev.taskqueue.worker;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.sandbox.CompiledModule;
import dev.taskqueue.sandbox.ModuleCache;
import dev.taskqueue.sandbox.Sandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the modules a worker's queues run before it claims its first task, as a Celery or
 * Sidekiq worker loads its task code at boot: for each queue, in the configured order, the newest
 * version of each task name the queue knows ({@link Keys#modules}: the versions submits pin), up to
 * the module cache's size. Its first tasks then start at once instead of waiting for their module
 * (0.2 to 0.3 s for a small one in a fresh JVM), and a worker that could not yet run a task holds
 * no lease meanwhile.
 *
 * <p>Best effort. A module that cannot be loaded is logged and left to its tasks, which fail with
 * the reason as they would have; Redis not answering skips the preload. It waits at most {@link
 * #PATIENCE}: loads not done by then go on in the background, and tasks that need them wait for
 * them as for any load. Tasks pinned to an older version load it when they run.
 */
final class ModulePreload {
  private static final Logger LOG = LoggerFactory.getLogger(ModulePreload.class);

  /** How long the first claim waits for the modules at most. */
  static final Duration PATIENCE = Duration.ofSeconds(10);

  private final Redis redis;
  private final Keys keys;
  private final List<String> queues;
  private final ModuleCache modules;
  private final int most;
  private final CompletableFuture<Void> stopping = new CompletableFuture<>();

  /**
   * @param most how many modules to load at most: the cache's size, beyond which a load would evict
   *     another
   */
  ModulePreload(Redis redis, Keys keys, List<String> queues, ModuleCache modules, int most) {
    this.redis = redis;
    this.keys = keys;
    this.queues = List.copyOf(queues);
    this.modules = modules;
    this.most = most;
  }

  /** Loads the modules and waits for them, for at most {@link #PATIENCE} or until {@link #stop}. */
  void run() {
    long start = System.nanoTime();
    Map<String, String> names;
    try {
      names = digests();
    } catch (RedisUnavailableException e) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "worker.modules_not_preloaded")
          .log(
              "could not read which modules the queues run ({}); each loads with its first task",
              e.getMessage());
      return;
    }
    Map<String, CompletableFuture<CompiledModule>> loads = new LinkedHashMap<>();
    names.keySet().forEach(digest -> loads.put(digest, modules.load(digest)));
    await(CompletableFuture.allOf(loads.values().toArray(CompletableFuture[]::new)));
    report(names, loads, (System.nanoTime() - start) / 1_000_000);
  }

  /** Ends a wait in {@link #run} at once: the worker is stopping. */
  void stop() {
    stopping.complete(null);
  }

  /** The digests to load, each with the task names (and queues) it runs, at most {@link #most}. */
  private Map<String, String> digests() {
    Map<String, String> names = new LinkedHashMap<>();
    for (String queue : queues) {
      for (Map.Entry<String, String> known : redis.hgetall(keys.modules(queue)).entrySet()) {
        // "<version> <digest>", as include/queue_module.lua writes it
        String[] head = known.getValue().split(" ", 2);
        if (head.length < 2) {
          continue;
        }
        String name = queue + "/" + known.getKey() + " v" + head[0];
        if (names.containsKey(head[1]) || names.size() < most) {
          names.merge(head[1], name, (first, more) -> first + ", " + more);
        }
      }
    }
    return names;
  }

  private void await(CompletableFuture<Void> all) {
    try {
      CompletableFuture.anyOf(all, stopping).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Time is up, or all are done and one failed: the report says which.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void report(
      Map<String, String> names, Map<String, CompletableFuture<CompiledModule>> loads, long ms) {
    List<String> loading = new ArrayList<>();
    int loaded = 0;
    for (Map.Entry<String, CompletableFuture<CompiledModule>> load : loads.entrySet()) {
      CompletableFuture<CompiledModule> module = load.getValue();
      if (!module.isDone()) {
        loading.add(names.get(load.getKey()));
      } else if (module.isCompletedExceptionally()) {
        LOG.atWarn()
            .addKeyValue(LogFields.EVENT, "worker.module_not_preloaded")
            .log(
                "could not load module {} ({}) at start: {}; its tasks try again when they run",
                load.getKey(),
                names.get(load.getKey()),
                Sandbox.loadFailure(module.handle((compiled, thrown) -> thrown).join()));
      } else {
        loaded++;
      }
    }
    LOG.atInfo()
        .addKeyValue(LogFields.EVENT, "worker.modules_preloaded")
        .log(
            "compiled {} of the {} modules the queues run in {} ms before the first claim{}",
            loaded,
            loads.size(),
            ms,
            loading.isEmpty() ? "" : "; still loading: " + String.join("; ", loading));
  }
}
