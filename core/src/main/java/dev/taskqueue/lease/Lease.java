package dev.taskqueue.lease;

import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import java.time.Instant;

/**
 * A worker's hold on one claimed task. The token is the task's {@code lease_token} at claim time;
 * every transition out of {@code in_progress} presents it, and loses (returns false) when the task
 * has since been claimed again.
 */
public record Lease(TaskId taskId, String queue, String workerId, long token, Instant expiresAt) {
  /** The lease a freshly claimed task carries. */
  public static Lease of(Task claimed) {
    return new Lease(
        claimed.id(),
        claimed.queue(),
        claimed
            .workerId()
            .orElseThrow(() -> new IllegalStateException("bug: claimed task has no worker")),
        claimed.leaseToken(),
        claimed
            .leaseExpiresAt()
            .orElseThrow(() -> new IllegalStateException("bug: claimed task has no expiry")));
  }
}
