package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import java.time.Duration;
import java.util.List;

/**
 * Where an idle worker waits for work without polling: a blocking pop ({@code BZPOPMIN}) of the
 * marker that {@code enqueue.lua} sets and that {@code claim.lua} sets again while work remains.
 * The marker persists until taken, so work that arrives between a worker's empty claim and its wait
 * is not missed.
 */
public final class QueueWakeup {
  private final Redis redis;
  private final List<String> markers;

  public QueueWakeup(Redis redis, Keys keys, List<String> queues) {
    this.redis = redis;
    this.markers = queues.stream().map(keys::marker).toList();
  }

  /**
   * Blocks until one of the queues may have work or {@code timeout} passes.
   *
   * @return true when a marker was taken
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return redis.popAny(markers, timeout);
  }
}
