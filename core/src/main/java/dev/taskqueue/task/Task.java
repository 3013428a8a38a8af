package dev.taskqueue.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A task as stored in its Redis hash: what to run (name, pinned module digest, payload), under
 * which rules (queue, timeout, retries), and what happened (stage, attempts, lease, outcome).
 *
 * @param attempts attempts started since the task was created or last replayed
 * @param leaseToken fencing token of the latest claim: it grows by one with every claim, so a
 *     worker whose lease was taken over cannot record an outcome (0 before the first claim)
 * @param workerHost the host name of the machine whose worker holds it, or last held it and
 *     completed it or failed it for good
 * @param runAt when a retrying task runs again
 * @param history the ended attempts, oldest first
 * @param schedule the cron schedule that fired it, for a cron task
 * @param fireAt the fire time it was made for, for a cron task
 * @param limits the limits it asked for at submit, each lowering its module's and the worker's
 */
public record Task(
    TaskId id,
    String queue,
    String name,
    String moduleDigest,
    int moduleVersion,
    Kind kind,
    Stage stage,
    String payload,
    int attempts,
    int maxRetries,
    RetryBackoff retryBackoff,
    Duration timeout,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<String> workerId,
    Optional<String> workerHost,
    long leaseToken,
    Optional<Instant> leaseExpiresAt,
    Optional<TaskResult> result,
    Optional<String> error,
    Optional<String> logPath,
    Optional<Instant> runAt,
    Optional<Instant> replayedAt,
    List<Attempt> history,
    Optional<String> schedule,
    Optional<Instant> fireAt,
    TaskLimits limits) {

  /**
   * When it was last due to run: the latest of when it was submitted, its run-at (a later start or
   * a retry), its firing and its replay. How long it waited is measured from here.
   */
  public Instant dueAt() {
    Instant due = createdAt;
    for (Optional<Instant> other : List.of(runAt, fireAt, replayedAt)) {
      if (other.isPresent() && other.get().isAfter(due)) {
        due = other.get();
      }
    }
    return due;
  }
}
