package dev.taskqueue.schedule;

import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.TaskLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A cron schedule as stored in its hash ({@code {prefix:queue}:schedule:<name>}): what each firing
 * submits, when, and what happened so far.
 *
 * @param nextFireAt when it fires next (kept while paused: resuming recomputes it)
 * @param lastFireAt the fire time of its latest firing
 * @param lastTaskId the task its latest firing made
 * @param fired how many tasks it made
 */
public record Schedule(
    String name,
    String queue,
    String taskName,
    String payload,
    CronExpression cron,
    CatchUp catchUp,
    int maxRetries,
    RetryBackoff retryBackoff,
    Duration timeout,
    Instant createdAt,
    Optional<Instant> nextFireAt,
    Optional<Instant> lastFireAt,
    Optional<String> lastTaskId,
    boolean paused,
    long fired,
    TaskLimits limits) {

  /**
   * Reads a schedule hash.
   *
   * @throws IllegalStateException when it was not written by task-queue (a field missing or bad)
   */
  static Schedule read(Map<String, String> hash) {
    try {
      return new Schedule(
          hash.get("name"),
          hash.get("queue"),
          hash.get("task"),
          hash.get("payload"),
          CronExpression.parse(hash.get("cron"), hash.get("tz")),
          CatchUp.parse(hash.get("catch_up")),
          Integer.parseInt(hash.get("max_retries")),
          new RetryBackoff(
              Duration.ofMillis(Long.parseLong(hash.get("retry_backoff_base_ms"))),
              Duration.ofMillis(Long.parseLong(hash.get("retry_backoff_cap_ms")))),
          Duration.ofMillis(Long.parseLong(hash.get("timeout_ms"))),
          Instant.ofEpochMilli(Long.parseLong(hash.get("created_at"))),
          instant(hash.get("next_fire_at")),
          instant(hash.get("last_fire_at")),
          Optional.ofNullable(hash.get("last_task_id")),
          "1".equals(hash.get("paused")),
          Long.parseLong(hash.getOrDefault("fired", "0")),
          TaskLimits.fromJson(hash.get("limits")));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "schedule hash '" + hash.get("name") + "' is corrupt: " + e.getMessage(), e);
    }
  }

  /** The hash's fields, for add_schedule.lua (the state fields are the script's). */
  Map<String, String> definition() {
    Map<String, String> fields = new LinkedHashMap<>(fixedDefinition());
    if (!limits.isEmpty()) {
      fields.put("limits", limits.toJson());
    }
    return fields;
  }

  private Map<String, String> fixedDefinition() {
    return Map.ofEntries(
        Map.entry("queue", queue),
        Map.entry("task", taskName),
        Map.entry("payload", payload),
        Map.entry("cron", cron.text()),
        Map.entry("tz", cron.zone().getId()),
        Map.entry("catch_up", catchUp.wireName()),
        Map.entry("max_retries", Integer.toString(maxRetries)),
        Map.entry("retry_backoff_base_ms", Long.toString(retryBackoff.base().toMillis())),
        Map.entry("retry_backoff_cap_ms", Long.toString(retryBackoff.cap().toMillis())),
        Map.entry("timeout_ms", Long.toString(timeout.toMillis())),
        Map.entry("created_at", Long.toString(createdAt.toEpochMilli())));
  }

  private static Optional<Instant> instant(String ms) {
    return ms == null || ms.isEmpty() || ms.equals("0")
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(Long.parseLong(ms)));
  }
}
