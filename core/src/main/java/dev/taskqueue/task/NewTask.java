package dev.taskqueue.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A task ready to be enqueued: its id is made and its payload checked. Its module version is
 * pinned, or {@link #NEWEST} (with an empty digest): enqueue then pins the newest version its queue
 * knows, atomically. With {@code runAt} it waits in its queue's scheduled set until then; without,
 * it is pending now. {@link dev.taskqueue.queue.TaskEnqueuer} writes it; nothing here talks to
 * Redis.
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
    Optional<Instant> runAt,
    TaskLimits limits) {
  /** A task with no limits of its own. */
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
      Instant createdAt,
      Optional<Instant> runAt) {
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
        runAt,
        TaskLimits.NONE);
  }

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

  /** The module version that leaves the pin to enqueue: the newest one the queue knows. */
  public static final int NEWEST = 0;

  /** Whether it names its module version, rather than leaving it to enqueue. */
  public boolean pinned() {
    return moduleVersion != NEWEST;
  }

  /** The same task pinned to module version {@code version}, whose digest is {@code digest}. */
  public NewTask withModule(String digest, int version) {
    return new NewTask(
        id,
        queue,
        name,
        digest,
        version,
        kind,
        payload,
        maxRetries,
        retryBackoff,
        timeout,
        createdAt,
        runAt,
        limits);
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
    Objects.requireNonNull(limits);
  }
}
