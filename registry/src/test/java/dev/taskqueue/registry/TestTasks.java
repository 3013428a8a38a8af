package dev.taskqueue.registry;

import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.TaskIdGenerator;
import java.time.Clock;
import java.time.Duration;

/**
 * Enqueues tasks the way a producer does, so the per-queue open counts the registry reads are real.
 */
final class TestTasks {
  private final TaskEnqueuer enqueuer;
  private final TaskIdGenerator ids;
  private final Clock clock;

  TestTasks(RedisSession session, Clock clock) {
    this.enqueuer = new TaskEnqueuer(session.redis(), session.keys());
    this.ids = new TaskIdGenerator(clock);
    this.clock = clock;
  }

  /** Enqueues {@code count} pending tasks of {@code name} in {@code queue}. */
  void enqueue(String queue, String name, String digest, int count) {
    for (int i = 0; i < count; i++) {
      enqueuer.enqueue(
          new NewTask(
              ids.next(),
              queue,
              name,
              digest,
              1,
              Kind.IMMEDIATE,
              "{}",
              3,
              new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5)),
              Duration.ofSeconds(30),
              clock.instant()));
    }
  }
}
