package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;

/**
 * Where an idle worker waits for work without polling: a blocking pop ({@code BZPOPMIN}) of the
 * marker that {@code enqueue.lua} sets and that {@code claim.lua} sets again while work remains.
 * The marker persists until taken, so work that arrives between a worker's empty claim and its wait
 * is not missed.
 */
public final class QueueWakeup {
  private final RScoredSortedSet<String> first;
  private final String[] others;

  public QueueWakeup(RedissonClient redis, Keys keys, List<String> queues) {
    this.first = redis.getScoredSortedSet(keys.marker(queues.get(0)));
    this.others = queues.stream().skip(1).map(keys::marker).toArray(String[]::new);
  }

  /**
   * Blocks until one of the queues may have work or {@code timeout} passes.
   *
   * @return true when a marker was taken
   */
  public boolean await(Duration timeout) throws InterruptedException {
    String member = first.pollFirstFromAny(timeout.toMillis(), TimeUnit.MILLISECONDS, others);
    return member != null;
  }
}
