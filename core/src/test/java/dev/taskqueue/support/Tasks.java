package dev.taskqueue.support;

import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import dev.taskqueue.task.TaskLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Builds tasks for tests with readable defaults. */
public final class Tasks {
  /** The default backoff: retries wait up to 1 s, 2 s, 4 s, ... at most 5 min. */
  public static final RetryBackoff BACKOFF =
      new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  public static final String DIGEST =
      "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

  private final Clock clock;
  private final TaskIdGenerator ids;

  public Tasks(Clock clock) {
    this.clock = clock;
    this.ids = new TaskIdGenerator(clock);
  }

  public TaskId nextId() {
    return ids.next();
  }

  /** A {@code greeter} task in queue {@code default} with a 30 s timeout and 3 retries. */
  public NewTask greeter(String payload) {
    return task("default", "greeter", payload);
  }

  /** {@code task} with other retry rules. */
  public static NewTask withRetries(NewTask task, int maxRetries, RetryBackoff backoff) {
    return reshaped(task, maxRetries, backoff, Optional.empty(), TaskLimits.NONE);
  }

  /** {@code task} to run later, at {@code runAt}. */
  public static NewTask at(NewTask task, Instant runAt) {
    return reshaped(
        task, task.maxRetries(), task.retryBackoff(), Optional.of(runAt), task.limits());
  }

  /** {@code task} with another timeout of one attempt. */
  public static NewTask withTimeout(NewTask task, Duration timeout) {
    return rebuilt(
        task,
        task.kind(),
        task.maxRetries(),
        task.retryBackoff(),
        timeout,
        task.runAt(),
        task.limits());
  }

  /** {@code task} with other retry rules, run-at time (scheduled when it has one) and limits. */
  public static NewTask reshaped(
      NewTask task,
      int maxRetries,
      RetryBackoff backoff,
      Optional<Instant> runAt,
      TaskLimits limits) {
    Kind kind = runAt.isPresent() ? Kind.SCHEDULED : task.kind();
    return rebuilt(task, kind, maxRetries, backoff, task.timeout(), runAt, limits);
  }

  private static NewTask rebuilt(
      NewTask task,
      Kind kind,
      int maxRetries,
      RetryBackoff backoff,
      Duration timeout,
      Optional<Instant> runAt,
      TaskLimits limits) {
    return new NewTask(
        task.id(),
        task.queue(),
        task.name(),
        task.moduleDigest(),
        task.moduleVersion(),
        kind,
        task.payload(),
        maxRetries,
        backoff,
        timeout,
        task.createdAt(),
        runAt,
        limits);
  }

  public NewTask task(String queue, String name, String payload) {
    return new NewTask(
        ids.next(),
        queue,
        name,
        DIGEST,
        1,
        Kind.IMMEDIATE,
        payload,
        3,
        BACKOFF,
        Duration.ofSeconds(30),
        clock.instant());
  }
}
