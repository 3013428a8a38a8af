package dev.taskqueue.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A task ready to be enqueued: its id is made, its module digest resolved and its payload checked.
 * With {@code runAt} it waits in its queue's scheduled set until then; without, it is pending now.
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
    Instant createdAt,
    Optional<Instant> runAt) {
  /** A task to run now. */
  public NewTask(
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
    this(
        id,
        queue,
        name,
        moduleDigest,
        moduleVersion,
        kind,
        payload,
        maxRetries,
        retryBackoff,
        timeout,
        createdAt,
        Optional.empty());
  }

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
    Objects.requireNonNull(runAt);
  }
}
