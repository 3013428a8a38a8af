package dev.taskqueue.queue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class QueueWakeupTest {

  @Test
  void anIdleWaitEndsWhenATaskIsEnqueued(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    QueueWakeup wakeup = new QueueWakeup(f.session.redis(), f.keys, List.of("default"));

    CompletableFuture<Boolean> woken =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return wakeup.await(Duration.ofSeconds(20));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertFalse(woken.isDone(), "blocks while the queue is empty");

    f.enqueuer.enqueue(f.tasks.greeter("{}"));

    assertTrue(woken.get(5, TimeUnit.SECONDS));
  }

  @Test
  void watchesEveryQueueOfAWorker(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    QueueWakeup wakeup = new QueueWakeup(f.session.redis(), f.keys, List.of("critical", "low"));

    f.enqueuer.enqueue(f.tasks.task("low", "greeter", "{}"));

    assertTrue(wakeup.await(Duration.ofSeconds(5)));
    assertFalse(wakeup.await(Duration.ofMillis(100)), "the marker was taken once");
  }

  @Test
  void aMarkerSetBeforeTheWaitIsNotMissed(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    f.enqueuer.enqueue(f.tasks.greeter("{}"));

    assertTrue(
        new QueueWakeup(f.session.redis(), f.keys, List.of("default"))
            .await(Duration.ofSeconds(1)));
  }
}
