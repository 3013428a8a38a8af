package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where an idle worker waits for work without polling: a blocking pop ({@code BZMPOP}) of the
 * marker that {@code enqueue.lua} sets and that {@code claim.lua} sets again while work remains.
 * The marker persists until taken, so work that arrives between a worker's empty claim and its wait
 * is not missed. Its member names, where the script that set it knew one, the task then at the
 * front of the queue: the woken worker claims that task without reading the queue first.
 */
public final class QueueWakeup {
  /** The member of a marker set by a script that names no task. */
  static final String ANY_TASK = "work";

  private final Redis redis;
  private final Map<String, String> queueOfMarker = new LinkedHashMap<>();
  private final List<String> markers;

  /** What woke a worker: work in {@code queue}, perhaps the task at its front. */
  public record Woken(String queue, Optional<String> frontTask) {}

  public QueueWakeup(Redis redis, Keys keys, List<String> queues) {
    this.redis = redis;
    queues.forEach(queue -> queueOfMarker.put(keys.marker(queue), queue));
    this.markers = List.copyOf(queueOfMarker.keySet());
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
   */
  public Optional<Woken> await(Duration timeout, Set<String> paused) throws InterruptedException {
    List<String> waitOn = markers;
    if (!paused.isEmpty()) {
      waitOn = new ArrayList<>(markers);
      waitOn.removeIf(marker -> paused.contains(queueOfMarker.get(marker)));
      if (waitOn.isEmpty()) {
        Thread.sleep(timeout.toMillis());
        return Optional.empty();
      }
    }
    return redis
        .popAny(waitOn, timeout)
        .map(
            popped ->
                new Woken(
                    queueOfMarker.get(popped.getKey()),
                    popped.getValue().equals(ANY_TASK)
                        ? Optional.empty()
                        : Optional.of(popped.getValue())));
  }
}
