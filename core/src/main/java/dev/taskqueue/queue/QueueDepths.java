package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** How many tasks each queue holds in each of its lists and sets, read in two round trips. */
public final class QueueDepths {
  /**
   * One queue's depths.
   *
   * @param pending waiting to be claimed
   * @param processing claimed and running (or ended, not yet recorded)
   * @param scheduled waiting for their time: later tasks and retries
   * @param dlq dead
   */
  public record Depth(long pending, long processing, long scheduled, long dlq) {}

  private final Redis redis;
  private final Keys keys;

  public QueueDepths(Redis redis, Keys keys) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
  }

  /** Every queue a task was ever submitted to, by name in order. */
  public List<String> queues() {
    return new ArrayList<>(new TreeSet<>(redis.smembers(keys.queues())));
  }

  /** Every known queue's depths, by queue name in order. */
  public Map<String, Depth> read() {
    List<String> queues = queues();
    List<String> lists = new ArrayList<>();
    List<String> sortedSets = new ArrayList<>();
    for (String queue : queues) {
      lists.add(keys.pending(queue));
      lists.add(keys.processing(queue));
      lists.add(keys.dlq(queue));
      sortedSets.add(keys.scheduled(queue));
    }
    Map<String, Long> sizes = redis.sizes(lists, sortedSets);
    Map<String, Depth> depths = new LinkedHashMap<>();
    for (String queue : queues) {
      depths.put(
          queue,
          new Depth(
              sizes.get(keys.pending(queue)),
              sizes.get(keys.processing(queue)),
              sizes.get(keys.scheduled(queue)),
              sizes.get(keys.dlq(queue))));
    }
    return depths;
  }
}
