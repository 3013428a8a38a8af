package dev.taskqueue.lease;

import dev.taskqueue.task.TaskResult;
import java.util.Objects;
import java.util.Optional;

/**
 * How one held attempt ended, to be recorded by {@link AttemptRecorder}.
 *
 * @param ending completed, failed or released, as {@code end_attempt.lua} names them
 * @param text the stored result (completed), the error (failed), or empty (released)
 * @param encoding the result's encoding (completed), else empty
 * @param logPath where the attempt's output was saved, if it was
 * @param retryable false for a failure no retry can mend: the task is dead at once
 */
public record AttemptOutcome(
    Lease lease,
    String ending,
    String text,
    String encoding,
    Optional<String> logPath,
    boolean retryable) {
  private static final String FAILED = "failed";

  public AttemptOutcome {
    Objects.requireNonNull(lease);
    Objects.requireNonNull(ending);
    Objects.requireNonNull(text);
    Objects.requireNonNull(encoding);
    Objects.requireNonNull(logPath);
  }

  /** The task returned {@code result}: it is finished. */
  public static AttemptOutcome completed(Lease lease, TaskResult result, Optional<String> logPath) {
    return new AttemptOutcome(
        lease, "completed", result.stored(), result.encoding(), logPath, false);
  }

  /**
   * The attempt failed for {@code error}: the task is retried later, or dead when none are left.
   */
  public static AttemptOutcome failed(Lease lease, String error, Optional<String> logPath) {
    return new AttemptOutcome(lease, FAILED, error, "", logPath, true);
  }

  /**
   * The attempt failed for {@code error}, and a retry would fail the same way (the task's module
   * version was removed from the registry, its hash is corrupt): the task is dead at once, whatever
   * retries it has left.
   */
  public static AttemptOutcome failedForGood(Lease lease, String error, Optional<String> logPath) {
    return new AttemptOutcome(lease, FAILED, error, "", logPath, false);
  }

  /** Whether the attempt failed: the one ending after which a task may wait out a backoff. */
  public boolean isFailure() {
    return ending.equals(FAILED);
  }

  /** The worker is stopping: the task goes back to the front of its queue. */
  public static AttemptOutcome released(Lease lease) {
    return new AttemptOutcome(lease, "released", "", "", Optional.empty(), false);
  }
}
