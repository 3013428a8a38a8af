package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where an idle worker waits for work without polling: a blocking pop ({@code BZMPOP}) of the
 * marker that {@code enqueue.lua} sets and that {@code claim.lua} sets again while work remains.
 * The marker persists until taken, so work that arrives between a worker's empty claim and its wait
 * is not missed. Its member names, where the script that set it knew one, the task then at the
 * front of the queue: the woken worker claims that task without reading the queue first.
 *
 * <p>One {@code BZMPOP} may only name keys of one Redis Cluster slot, and each queue's keys have a
 * slot of their own. So on a cluster there is one wait per slot, all running at once, and the first
 * marker any of them takes wakes the worker. The others go on; what they take later is kept and
 * returned by the next {@link #await} without blocking, so no marker is taken and forgotten. On a
 * single server (or Sentinel) all markers share one wait.
 *
 * <p>Used by one thread (the worker's dispatcher); not thread-safe.
 */
public final class QueueWakeup {
  /** The member of a marker set by a script that names no task. */
  static final String ANY_TASK = "work";

  /** How much longer than a wait's own timeout to wait for its reply. */
  private static final Duration REPLY_GRACE = Duration.ofSeconds(5);

  private final Redis redis;
  private final Map<String, String> queueOfMarker = new LinkedHashMap<>();

  /** The markers by the slot they share: one group, slot 0, on a single server. */
  private Map<Integer, List<String>> markersBySlot;

  /** The waits under way, by slot: at most one per slot. */
  private final Map<Integer, CompletableFuture<Optional<Map.Entry<String, String>>>> waits =
      new HashMap<>();

  /** Markers taken by a wait that ended after another had woken the worker. */
  private final Deque<Woken> taken = new ArrayDeque<>();

  /** What woke a worker: work in {@code queue}, perhaps the task at its front. */
  public record Woken(String queue, Optional<String> frontTask) {}

  public QueueWakeup(Redis redis, Keys keys, List<String> queues) {
    this.redis = redis;
    queues.forEach(queue -> queueOfMarker.put(keys.marker(queue), queue));
  }

  /**
   * Blocks until one of the queues may have work or {@code timeout} passes.
   *
   * @return the queue whose marker was taken; empty when the time passed
   */
  public Optional<Woken> await(Duration timeout) throws InterruptedException {
    return await(timeout, Set.of());
  }

  /**
   * Like {@link #await(Duration)}, not waking for the {@code paused} queues: a marker set while a
   * queue is paused would wake the worker again and again for tasks it may not claim.
   *
   * @throws dev.taskqueue.error.RedisUnavailableException when a wait failed for want of Redis
   */
  public Optional<Woken> await(Duration timeout, Set<String> paused) throws InterruptedException {
    collectEnded();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long left = timeout.toNanos(); taken.isEmpty() && left > 0; ) {
      // A wait started by an earlier call may end (empty) first: wait on, until the deadline.
      startWaits(Duration.ofNanos(left), paused);
      if (waits.isEmpty()) {
        TimeUnit.NANOSECONDS.sleep(left);
        return Optional.empty();
      }
      try {
        CompletableFuture.anyOf(waits.values().toArray(CompletableFuture[]::new))
            .get(left + REPLY_GRACE.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // The failed wait is read, and its failure thrown, below; one that never answers is
        // still under way, and the worker claims meanwhile as after any wait.
      }
      collectEnded();
      left = deadline - System.nanoTime();
    }
    return Optional.ofNullable(taken.poll());
  }

  /** Starts a wait for each slot that has a queue not paused and no wait under way. */
  private void startWaits(Duration timeout, Set<String> paused) {
    for (Map.Entry<Integer, List<String>> slot : markersBySlot().entrySet()) {
      if (waits.containsKey(slot.getKey())) {
        continue;
      }
      List<String> markers = new ArrayList<>(slot.getValue());
      markers.removeIf(marker -> paused.contains(queueOfMarker.get(marker)));
      if (!markers.isEmpty()) {
        waits.put(slot.getKey(), redis.popAnyAsync(markers, timeout));
      }
    }
  }

  /** Moves what ended waits took to {@link #taken}; throws the failure of one that failed. */
  private void collectEnded() {
    RuntimeException failure = null;
    for (var wait = waits.values().iterator(); wait.hasNext(); ) {
      CompletableFuture<Optional<Map.Entry<String, String>>> future = wait.next();
      if (!future.isDone()) {
        continue;
      }
      wait.remove();
      try {
        future.join().ifPresent(popped -> taken.add(woken(popped)));
      } catch (CompletionException e) {
        failure = e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private Woken woken(Map.Entry<String, String> popped) {
    String member = popped.getValue();
    return new Woken(
        queueOfMarker.get(popped.getKey()),
        member.equals(ANY_TASK) ? Optional.empty() : Optional.of(member));
  }

  /** Asked of Redis once, at the first wait: a queue's slot never changes. */
  private Map<Integer, List<String>> markersBySlot() {
    if (markersBySlot == null) {
      Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
      boolean cluster = redis.cluster();
      for (String marker : queueOfMarker.keySet()) {
        int slot = cluster ? redis.slot(marker) : 0;
        bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(marker);
      }
      markersBySlot = bySlot;
    }
    return markersBySlot;
  }
}
