package dev.taskqueue.queue;

import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskLimits;
import java.time.Instant;
import java.util.List;

/**
 * What a new task has but its id and payload, as {@code enqueue.lua} takes it: the tasks of one
 * call mostly share it (one submit time, one task name, the same options), so a call sends each
 * shape once and each task names its shape. A batch of a thousand alike tasks then crosses as three
 * values a task instead of thirteen. Its limits stay a record until sent: they are compared for
 * every task and written as JSON once per shape.
 */
record TaskShape(
    String name,
    int moduleVersion,
    String moduleDigest,
    String kind,
    int maxRetries,
    long timeoutMs,
    long createdAtMs,
    long backoffBaseMs,
    long backoffCapMs,
    long runAtMs,
    TaskLimits limits) {
  /** How many values {@link #addTo} adds. */
  static final int VALUES = 11;

  static TaskShape of(NewTask task) {
    return new TaskShape(
        task.name(),
        task.moduleVersion(),
        task.moduleDigest(),
        task.kind().wireName(),
        task.maxRetries(),
        task.timeout().toMillis(),
        task.createdAt().toEpochMilli(),
        task.retryBackoff().base().toMillis(),
        task.retryBackoff().cap().toMillis(),
        task.runAt().map(Instant::toEpochMilli).orElse(0L),
        task.limits());
  }

  /** Its values, in the order {@code enqueue.lua} reads a shape's. */
  void addTo(List<Object> args) {
    args.add(name);
    args.add(moduleVersion);
    args.add(moduleDigest);
    args.add(kind);
    args.add(maxRetries);
    args.add(timeoutMs);
    args.add(createdAtMs);
    args.add(backoffBaseMs);
    args.add(backoffCapMs);
    args.add(runAtMs);
    args.add(limits.toJson());
  }
}
