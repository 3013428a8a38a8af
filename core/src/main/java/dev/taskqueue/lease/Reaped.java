package dev.taskqueue.lease;

import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskId;
import java.time.Instant;
import java.util.Optional;

/**
 * A task whose lease expired and whose attempt the reaper ended as lost.
 *
 * @param stage retrying or dead
 * @param retryAt when a retrying task runs again
 */
public record Reaped(TaskId taskId, String queue, Stage stage, Optional<Instant> retryAt) {}
