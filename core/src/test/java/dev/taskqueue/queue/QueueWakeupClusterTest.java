package dev.taskqueue.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.RedisCluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: on a Redis Cluster each queue's marker has a slot of its own, and one {@code BZMPOP}
 * may not name keys of two slots. The wakeup waits on every slot at once.
 */
class QueueWakeupClusterTest {
  private static final List<String> QUEUES = List.of("default", "images", "search");
  private static RedisCluster cluster;
  private static Redis redis;
  private final Keys keys = new Keys("tcl");

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
    redis = new Redis(TestSessions.client(cluster.url()));
  }

  @AfterAll
  static void stopCluster() {
    TestSessions.forget(cluster.url());
    cluster.close();
  }

  @Test
  void wakesForAMarkerInAnySlotAndForgetsNoneItTook() throws Exception {
    Set<Integer> slots = new HashSet<>();
    QUEUES.forEach(queue -> slots.add(redis.slot(keys.marker(queue))));
    assertEquals(3, slots.size(), "three slots");
    QueueWakeup wakeup = new QueueWakeup(redis, keys, QUEUES);
    assertEquals(Optional.empty(), wakeup.await(Duration.ofMillis(500)), "nothing to wake for");

    CompletableFuture<Optional<QueueWakeup.Woken>> first = awaitAsync(wakeup);
    Thread.sleep(300);
    assertFalse(first.isDone(), "waits while every queue is empty");
    redis.sortedSets().zadd(keys.marker("images"), 0, QueueWakeup.ANY_TASK);
    redis.sortedSets().zadd(keys.marker("search"), 0, "t-1");

    Set<QueueWakeup.Woken> woken = new HashSet<>();
    woken.add(first.get(10, TimeUnit.SECONDS).orElseThrow());
    woken.add(wakeup.await(Duration.ofSeconds(5)).orElseThrow());

    assertEquals(
        Set.of(
            new QueueWakeup.Woken("images", Optional.empty()),
            new QueueWakeup.Woken("search", Optional.of("t-1"))),
        woken);
    assertEquals(
        0,
        redis.sortedSets().zcard(keys.marker("images"))
            + redis.sortedSets().zcard(keys.marker("search")));
    assertEquals(Optional.empty(), wakeup.await(Duration.ofMillis(500)));
  }

  private static CompletableFuture<Optional<QueueWakeup.Woken>> awaitAsync(QueueWakeup wakeup) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return wakeup.await(Duration.ofSeconds(20));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
