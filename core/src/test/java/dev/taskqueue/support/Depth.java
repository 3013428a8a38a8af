package dev.taskqueue.support;

import dev.taskqueue.redis.Keys;
import org.redisson.api.RedissonClient;

/** How many ids sit in each list and sorted set of one queue, for tests to compare. */
public record Depth(
    int pending, int processing, int finished, int leased, int scheduled, int dead) {
  public static Depth of(RedissonClient client, Keys keys, String queue) {
    return new Depth(
        client.getList(keys.pending(queue)).size(),
        client.getList(keys.processing(queue)).size(),
        client.getList(keys.finished(queue)).size(),
        client.getScoredSortedSet(keys.timeout(queue)).size(),
        client.getScoredSortedSet(keys.scheduled(queue)).size(),
        client.getList(keys.dlq(queue)).size());
  }

  /** Nothing waiting, running or retrying: every task ended. */
  public boolean settled() {
    return pending == 0 && processing == 0 && leased == 0 && scheduled == 0;
  }
}
