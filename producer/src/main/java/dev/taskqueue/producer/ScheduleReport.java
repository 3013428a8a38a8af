package dev.taskqueue.producer;

import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.schedule.Schedule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Schedules as {@code producer cron list} and {@code show} print them. For people, times are in the
 * schedule's own zone, where its expression is read: in full with their offset in {@code show}
 * ({@code 2026-01-02T02:00:00+01:00}), without it in the list ({@code 2026-01-02 02:00:00}), whose
 * CRON column names the zone. In JSON they are ISO-8601 UTC, as everywhere.
 */
final class ScheduleReport {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

  private ScheduleReport() {}

  /** {@code at} in the schedule's zone, with its offset: {@code 2026-01-02T02:00:00+01:00}. */
  static String time(Instant at, Schedule schedule) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atZone(schedule.cron().zone()));
  }

  private static String shortTime(Instant at, Schedule schedule) {
    return LOCAL.format(at.atZone(schedule.cron().zone()));
  }

  /** A table with a row per schedule, for the list. */
  static Table table(List<ScheduleView> views) {
    Table table =
        new Table(
            "NAME",
            "TASK",
            "QUEUE",
            "CRON",
            "CATCH-UP",
            "STATE",
            "NEXT FIRES",
            "LAST FIRE",
            "LAST TASK");
    for (ScheduleView v : views) {
      Schedule s = v.schedule();
      table.row(
          s.name(),
          s.taskName(),
          s.queue(),
          s.cron().toString(),
          s.catchUp().wireName(),
          state(s),
          v.nextFires().isEmpty()
              ? "-"
              : v.nextFires().stream()
                  .map(at -> shortTime(at, s))
                  .collect(Collectors.joining(", ")),
          s.lastFireAt().map(at -> shortTime(at, s)).orElse("-"),
          lastTask(v));
    }
    return table;
  }

  /** Every field, one per line, values aligned. */
  static String text(ScheduleView v) {
    Schedule s = v.schedule();
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("name", s.name());
    lines.put("task", s.taskName());
    lines.put("queue", s.queue());
    lines.put("cron", s.cron().toString());
    lines.put("catch-up", s.catchUp().wireName());
    lines.put("state", state(s));
    lines.put(
        "next fires",
        v.nextFires().isEmpty()
            ? s.paused() ? "none while paused" : "none: the expression fires no more"
            : v.nextFires().stream().map(at -> time(at, s)).collect(Collectors.joining("\n")));
    lines.put("last fire", s.lastFireAt().map(at -> time(at, s)).orElse("-"));
    lines.put("last task", lastTask(v));
    lines.put("fired", s.fired() + (s.fired() == 1 ? " task" : " tasks"));
    lines.put("payload", s.payload());
    lines.put("max retries", Integer.toString(s.maxRetries()));
    lines.put("backoff", s.retryBackoff().toString());
    lines.put("timeout", ValueTypes.format(s.timeout()));
    if (!s.limits().isEmpty()) {
      lines.put("limits", TaskReport.limits(s.limits()));
    }
    lines.put("created", s.createdAt().toString());
    return TaskReport.align(lines);
  }

  /**
   * One JSON object: the list's fields, and with {@code full} (show) what each firing submits and
   * when the schedule was made. A field with no value is null.
   */
  static String json(ScheduleView v, boolean full) {
    Schedule s = v.schedule();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("name", s.name());
    fields.put("queue", s.queue());
    fields.put("task", s.taskName());
    fields.put("cron", s.cron().text());
    fields.put("tz", s.cron().zone().getId());
    fields.put("catch_up", s.catchUp().wireName());
    fields.put("paused", s.paused());
    fields.put("next_fire_times", v.nextFires().stream().map(Instant::toString).toList());
    fields.put("last_fire_at", s.lastFireAt().map(Instant::toString).orElse(null));
    fields.put("last_task_id", s.lastTaskId().orElse(null));
    fields.put("last_task_stage", v.lastTask().map(t -> t.stage().wireName()).orElse(null));
    fields.put("fired", s.fired());
    if (full) {
      fields.put("payload", s.payload());
      fields.put("max_retries", s.maxRetries());
      fields.put("retry_backoff_base_ms", s.retryBackoff().base().toMillis());
      fields.put("retry_backoff_cap_ms", s.retryBackoff().cap().toMillis());
      fields.put("timeout_ms", s.timeout().toMillis());
      if (!s.limits().isEmpty()) {
        fields.put("limits", Json.mapper().readTree(s.limits().toJson()));
      }
      fields.put("created_at", s.createdAt().toString());
    }
    return Json.mapper().writeValueAsString(fields);
  }

  private static String state(Schedule s) {
    return s.paused() ? "paused" : "active";
  }

  /** {@code <id> completed}, {@code <id> deleted} when it is no longer kept, or "-". */
  private static String lastTask(ScheduleView v) {
    String stage = v.lastTask().map(t -> t.stage().wireName()).orElse("deleted");
    return v.schedule().lastTaskId().map(id -> id + " " + stage).orElse("-");
  }
}
