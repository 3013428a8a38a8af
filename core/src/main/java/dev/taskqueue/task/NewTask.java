package dev.taskqueue.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A task ready to be enqueued: its id is made, its module digest resolved and its payload checked.
 * {@link dev.taskqueue.queue.TaskEnqueuer} writes it; nothing here talks to Redis.
 */
public record NewTask(
    TaskId id,
    String queue,
    String name,
    String moduleDigest,
    int moduleVersion,
    Kind kind,
    String payload,
    int maxRetries,
    RetryBackoff retryBackoff,
    Duration timeout,
    Instant createdAt) {
  public NewTask {
    Objects.requireNonNull(id);
    Objects.requireNonNull(queue);
    Objects.requireNonNull(name);
    Objects.requireNonNull(moduleDigest);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(payload);
    Objects.requireNonNull(retryBackoff);
    Objects.requireNonNull(timeout);
    Objects.requireNonNull(createdAt);
  }
}
