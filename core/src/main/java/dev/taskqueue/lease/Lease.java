package dev.taskqueue.lease;

import dev.taskqueue.task.TaskId;
import java.time.Instant;

/**
 * A worker's hold on one claimed task. The token is the task's {@code lease_token} at claim time;
 * every way out of {@code in_progress} presents it, and loses when the task has since been claimed
 * again or the lease has run out.
 */
public record Lease(TaskId taskId, String queue, String workerId, long token, Instant expiresAt) {}
