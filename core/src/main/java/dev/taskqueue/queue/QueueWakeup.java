package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Where an idle worker waits for work without polling: a blocking pop ({@code BZMPOP}) of the
 * marker that {@code enqueue.lua} sets and that {@code claim.lua} sets again while work remains.
 * The marker persists until taken, so work that arrives between a worker's empty claim and its wait
 * is not missed. Its member names a task: the one then at the front of the queue (for {@code
 * enqueue}, which leaves a marker already set, the first it added), which the woken worker claims
 * without reading the queue first.
 *
 * <p>One {@code BZMPOP} may only name keys of one Redis Cluster slot, and each queue's keys have a
 * slot of their own. So on a cluster there is one wait per slot, all running at once, and the first
 * marker any of them takes wakes the worker. The others go on; what they take later is kept and
 * returned by the next {@link #await} without blocking, so no marker is taken and forgotten. On a
 * single server (or Sentinel) all markers share one wait.
 *
 * <p>The waiting thread may pass an action to run on the thread that takes a marker (the client's
 * event loop), before the waiting thread wakes: the worker sends its claim from there, sparing two
 * thread hand-offs on the way from a task's submit to its start. The action may ask to wait on
 * ({@link AfterAction#WAIT_ON}): the same thread then sends the next wait, and gives what it takes
 * to the action too, while the waiting thread sleeps on (a worker handed task after task wakes no
 * other thread for the next wait). {@link #await} returns only once what the action started has
 * ended and it asked for no more.
 *
 * <p>Used by one thread (the worker's dispatcher); not thread-safe.
 */
public final class QueueWakeup {
  /**
   * The member of a marker that names no task, as every script but {@code enqueue} and {@code
   * claim} set it before 2026-12-05 (they now name the task at the front): still read, so that
   * processes of either version may share a Redis.
   */
  static final String ANY_TASK = "work";

  /** How much longer than a wait's own timeout to wait for its reply. */
  private static final Duration REPLY_GRACE = Duration.ofSeconds(5);

  private final Redis redis;
  private final Map<String, String> queueOfMarker = new LinkedHashMap<>();

  /** The hand-off set of the queue this worker stands by for, if it does: waited on first. */
  private Optional<String> handoff = Optional.empty();

  private String handoffQueue;

  /** Every hand-off set given to {@link #await}, by its key: its queue. */
  private final Map<String, String> queueOfHandoff = new HashMap<>();

  /** The markers by the slot they share: one group, slot 0, on a single server. */
  private Map<Integer, List<String>> markersBySlot;

  /** The waits under way, by slot: at most one per slot. Empty when an action took the marker. */
  private final Map<Integer, CompletableFuture<Optional<Woken>>> waits = new HashMap<>();

  /** The action of the {@link #await} under way, until a taken marker takes it. */
  private final AtomicReference<Action> action = new AtomicReference<>();

  /** Markers taken by a wait that ended after another had woken the worker. */
  private final Deque<Woken> taken = new ArrayDeque<>();

  /**
   * What woke a worker: work in {@code queue}, perhaps the task at its front; or tasks handed to it
   * while it stood by ({@code handoff}: one hand-off, packed as a claim's reply).
   */
  public record Woken(String queue, Optional<String> frontTask, Optional<byte[]> handoff) {
    public Woken(String queue, Optional<String> frontTask) {
      this(queue, frontTask, Optional.empty());
    }
  }

  /**
   * What an action's future may complete with: {@link #WAIT_ON} to be given the next marker or
   * hand-off too, taken by a wait the thread that ran the action sends at once (until the call's
   * time is up). Anything else ends the call's waiting.
   */
  public enum AfterAction {
    RETURN,
    WAIT_ON
  }

  /** One call's action, and when what it started has ended. */
  private record Action(
      Function<Woken, CompletableFuture<?>> onWoken, CompletableFuture<Void> ended) {}

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
    return await(timeout, paused, null);
  }

  /**
   * Like {@link #await(Duration, Set)}; the first marker taken while this call waits is given to
   * {@code onWoken} (when not null) on the thread that took it, instead of being returned. That
   * thread must not block: {@code onWoken} starts what it does and returns a future of it. This
   * call returns once that future has completed, unless it completed with {@link
   * AfterAction#WAIT_ON}: then the next marker taken goes to {@code onWoken} too, and so on. It
   * throws what such a future, or a wait sent for it, failed with.
   *
   * @return the queue whose marker was taken; empty when the time passed or {@code onWoken} had the
   *     marker
   */
  public Optional<Woken> await(
      Duration timeout, Set<String> paused, Function<Woken, CompletableFuture<?>> onWoken)
      throws InterruptedException {
    return await(timeout, paused, onWoken, Optional.empty());
  }

  /**
   * Like {@link #await(Duration, Set, Function)}, waiting also on {@code handoffKey}, the hand-off
   * set of a queue the worker stands by for ({@code stand_by.lua}), before that queue's marker: a
   * hand-off taken wakes the worker as a marker does, with the hand-off in {@link Woken#handoff}. A
   * wait still under way from an earlier call may not include it; what it takes is kept all the
   * same.
   */
  public Optional<Woken> await(
      Duration timeout,
      Set<String> paused,
      Function<Woken, CompletableFuture<?>> onWoken,
      Optional<Map.Entry<String, String>> handoffKey)
      throws InterruptedException {
    handoff = handoffKey.map(Map.Entry::getValue);
    handoffQueue = handoffKey.map(Map.Entry::getKey).orElse(null);
    handoffKey.ifPresent(key -> queueOfHandoff.put(key.getValue(), key.getKey()));
    collectEnded();
    Action mine = null;
    if (taken.isEmpty() && onWoken != null) {
      mine = new Action(onWoken, new CompletableFuture<>());
      action.set(mine);
    }
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      // Until a marker is taken: returned, or given to the action (which then no longer waits).
      for (long left = timeout.toNanos(); taken.isEmpty() && !given(mine) && left > 0; ) {
        // A wait started by an earlier call may end (empty) first: wait on, until the deadline.
        startWaits(Duration.ofNanos(left), paused, deadline);
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
    } finally {
      // A marker taken meanwhile took the action: what it started must end before this returns.
      if (mine != null && !action.compareAndSet(mine, null)) {
        awaitUninterruptibly(mine.ended());
      }
    }
    return Optional.ofNullable(taken.poll());
  }

  /** Whether a taken marker was given to the call's action {@code mine}. */
  private boolean given(Action mine) {
    return mine != null && !mine.equals(action.get());
  }

  /**
   * What a wait on {@code markers} that took {@code popped} yields: the marker as taken, or, when
   * the action of the call under way took it, nothing once what the action started has ended and it
   * asked for no more (see {@link #act}).
   */
  private CompletableFuture<Optional<Woken>> received(
      Optional<Map.Entry<String, byte[]>> popped, List<String> markers, long deadline) {
    if (popped.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Woken woken = woken(popped.get());
    Action taking = action.getAndSet(null);
    if (taking == null) {
      return CompletableFuture.completedFuture(Optional.of(woken));
    }
    return act(taking, woken, markers, deadline)
        .whenComplete((done, error) -> taking.ended().complete(null));
  }

  /**
   * Gives {@code woken} to the action {@code taking}; when what it started asks to wait on, and the
   * call's {@code deadline} ({@link System#nanoTime}) has not passed, waits on {@code markers}
   * again from this thread and gives what that takes to the action too.
   */
  private CompletableFuture<Optional<Woken>> act(
      Action taking, Woken woken, List<String> markers, long deadline) {
    CompletableFuture<?> started;
    try {
      started = taking.onWoken().apply(woken);
    } catch (RuntimeException | Error e) {
      // Even an error fails the wait, thrown in the waiting thread: left uncaught here, it would
      // skip what ends the action, and that thread would wait for it for ever.
      started = CompletableFuture.failedFuture(e);
    }
    return started.thenCompose(
        then -> {
          long left = deadline - System.nanoTime();
          if (then != AfterAction.WAIT_ON || left <= 0) {
            return CompletableFuture.completedFuture(Optional.empty());
          }
          return redis
              .sortedSets()
              .popAnyAsync(markers, Duration.ofNanos(left))
              .thenCompose(
                  next ->
                      next.isEmpty()
                          ? CompletableFuture.completedFuture(Optional.empty())
                          : act(taking, woken(next.get()), markers, deadline));
        });
  }

  private static void awaitUninterruptibly(CompletableFuture<Void> future) {
    boolean interrupted = false;
    while (true) {
      try {
        future.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        throw new IllegalStateException("bug: an action's end never fails", e);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts a wait for each slot that has a queue not paused and no wait under way, for the call
   * that ends at {@code deadline} ({@link System#nanoTime}).
   */
  private void startWaits(Duration timeout, Set<String> paused, long deadline) {
    for (Map.Entry<Integer, List<String>> slot : markersBySlot().entrySet()) {
      if (waits.containsKey(slot.getKey())) {
        continue;
      }
      List<String> markers = new ArrayList<>(slot.getValue());
      markers.removeIf(marker -> paused.contains(queueOfMarker.get(marker)));
      if (handoff.isPresent() && markers.stream().anyMatch(this::ofHandoffQueue)) {
        markers.add(0, handoff.get());
      }
      if (!markers.isEmpty()) {
        waits.put(
            slot.getKey(),
            redis
                .sortedSets()
                .popAnyAsync(markers, timeout)
                .thenCompose(popped -> received(popped, markers, deadline)));
      }
    }
  }

  /** Moves what ended waits took to {@link #taken}; throws the failure of one that failed. */
  private void collectEnded() {
    RuntimeException failure = null;
    for (var wait = waits.values().iterator(); wait.hasNext(); ) {
      CompletableFuture<Optional<Woken>> future = wait.next();
      if (!future.isDone()) {
        continue;
      }
      wait.remove();
      try {
        future.join().ifPresent(taken::add);
      } catch (CompletionException e) {
        failure = e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private boolean ofHandoffQueue(String marker) {
    return queueOfMarker.get(marker).equals(handoffQueue);
  }

  private Woken woken(Map.Entry<String, byte[]> popped) {
    String queue = queueOfMarker.get(popped.getKey());
    if (queue == null) {
      // Not a marker: a hand-off set.
      return new Woken(
          queueOfHandoff.get(popped.getKey()), Optional.empty(), Optional.of(popped.getValue()));
    }
    String member = new String(popped.getValue(), StandardCharsets.UTF_8);
    return new Woken(queue, member.equals(ANY_TASK) ? Optional.empty() : Optional.of(member));
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
