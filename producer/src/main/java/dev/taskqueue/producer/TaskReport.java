package dev.taskqueue.producer;

import static dev.taskqueue.task.TaskFields.*;

import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskLimits;
import dev.taskqueue.task.TaskResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A task as {@code producer status}, {@code producer result} and {@code producer dlq show} print
 * it: an aligned block of {@code key: value} lines for people, one JSON object for scripts. JSON
 * fields are named as in the task hash ({@link dev.taskqueue.task.TaskFields}), its ended attempts
 * under {@code attempts_history} ({@link HistoryReport}); times are ISO-8601 UTC in both forms. A
 * task submitted for later shows its {@code run_at}, one a cron schedule made its {@code schedule}
 * and {@code fire_at}.
 */
final class TaskReport {
  private TaskReport() {}

  /** Every field a task has, absent ones left out, times as ISO-8601 text. */
  static String json(Task task) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(ID, task.id().value());
    fields.put(QUEUE, task.queue());
    fields.put(NAME, task.name());
    fields.put(MODULE_DIGEST, task.moduleDigest());
    fields.put(MODULE_VERSION, task.moduleVersion());
    fields.put(KIND, task.kind().wireName());
    fields.put(STAGE, task.stage().wireName());
    fields.put(PAYLOAD, task.payload());
    fields.put(ATTEMPTS, task.attempts());
    fields.put(MAX_RETRIES, task.maxRetries());
    fields.put(RETRY_BACKOFF_BASE_MS, task.retryBackoff().base().toMillis());
    fields.put(RETRY_BACKOFF_CAP_MS, task.retryBackoff().cap().toMillis());
    fields.put(TIMEOUT_MS, task.timeout().toMillis());
    if (!task.limits().isEmpty()) {
      fields.put(LIMITS, Json.mapper().readTree(task.limits().toJson()));
    }
    fields.put(CREATED_AT, task.createdAt().toString());
    task.startedAt().ifPresent(t -> fields.put(STARTED_AT, t.toString()));
    task.finishedAt().ifPresent(t -> fields.put(FINISHED_AT, t.toString()));
    task.runAt().ifPresent(t -> fields.put(RUN_AT, t.toString()));
    task.schedule().ifPresent(name -> fields.put(SCHEDULE, name));
    task.fireAt().ifPresent(t -> fields.put(FIRE_AT, t.toString()));
    task.replayedAt().ifPresent(t -> fields.put(REPLAYED_AT, t.toString()));
    task.workerId().ifPresent(w -> fields.put(WORKER_ID, w));
    task.workerHost().ifPresent(h -> fields.put(WORKER_HOST, h));
    fields.put(LEASE_TOKEN, task.leaseToken());
    task.leaseExpiresAt().ifPresent(t -> fields.put(LEASE_EXPIRES_AT, t.toString()));
    task.result().ifPresent(r -> fields.put(RESULT, r.stored()));
    task.result().ifPresent(r -> fields.put(RESULT_ENCODING, r.encoding()));
    task.error().ifPresent(e -> fields.put(ERROR, e));
    task.logPath().ifPresent(p -> fields.put(LOG_PATH, p));
    fields.put("attempts_history", HistoryReport.json(task.history()));
    return Json.mapper().writeValueAsString(fields);
  }

  /** The outcome only, always with the same five keys (null when absent), for scripts. */
  static String resultJson(Task task) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(ID, task.id().value());
    fields.put(STAGE, task.stage().wireName());
    fields.put(RESULT, task.result().map(TaskResult::stored).orElse(null));
    fields.put(RESULT_ENCODING, task.result().map(TaskResult::encoding).orElse(null));
    fields.put(ERROR, task.error().orElse(null));
    return Json.mapper().writeValueAsString(fields);
  }

  /** What {@code producer dlq list --json} prints of a dead task. */
  static String deadJson(Task task) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(ID, task.id().value());
    fields.put(QUEUE, task.queue());
    fields.put(NAME, task.name());
    fields.put(ATTEMPTS, task.attempts());
    fields.put(FINISHED_AT, task.finishedAt().map(Instant::toString).orElse(null));
    fields.put(ERROR, task.error().orElse(null));
    fields.put(LOG_PATH, task.logPath().orElse(null));
    return Json.mapper().writeValueAsString(fields);
  }

  /**
   * The fields a person asks about, one per line, values aligned; a run-at time long past at {@code
   * now} while the task still waits for it says so ({@link Overdue}), and whether {@code movers}
   * has any scheduler or reaper that runs.
   */
  static String text(Task task, Instant now, Supplier<Movers> movers) {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("id", task.id().value());
    lines.put("task", task.name());
    lines.put("queue", task.queue());
    lines.put("stage", task.stage().wireName());
    lines.put("attempts", task.attempts() + " (max retries " + task.maxRetries() + ")");
    lines.put("backoff", task.retryBackoff().toString());
    // A retry's run-at is when it is tried again; any other is the time it was submitted for.
    String runAt = task.stage() == Stage.RETRYING ? "retry at" : "run at";
    boolean waiting = task.stage() == Stage.RETRYING || task.stage() == Stage.SCHEDULED;
    task.runAt()
        .ifPresent(
            t ->
                lines.put(
                    runAt,
                    waiting && Overdue.overdue(t, now)
                        ? t + " (" + Overdue.note(t, now, movers.get()) + ")"
                        : t.toString()));
    task.schedule().ifPresent(name -> lines.put("schedule", name));
    task.fireAt().map(Instant::toString).ifPresent(t -> lines.put("fire at", t));
    lines.put("timeout", ValueTypes.format(task.timeout()));
    if (!task.limits().isEmpty()) {
      lines.put("limits", limits(task.limits()));
    }
    lines.put(
        "module",
        "v" + task.moduleVersion() + " sha256:" + ModuleDigest.shortForm(task.moduleDigest()));
    lines.put("created", task.createdAt().toString());
    task.replayedAt().map(Instant::toString).ifPresent(t -> lines.put("replayed", t));
    task.startedAt().map(Instant::toString).ifPresent(t -> lines.put("started", t));
    String finished = task.stage() == Stage.CANCELLED ? "cancelled" : "finished";
    task.finishedAt().map(Instant::toString).ifPresent(t -> lines.put(finished, t));
    task.workerId()
        .ifPresent(w -> lines.put("worker", w + task.workerHost().map(h -> " on " + h).orElse("")));
    task.error().ifPresent(e -> lines.put("error", e));
    task.logPath().ifPresent(p -> lines.put("log", p));
    if (task.history().isEmpty()) {
      return align(lines);
    }
    return align(lines)
        + "history:\n"
        + HistoryReport.text(task.history(), task.replayedAt(), "  ");
  }

  /** Each {@code key: value} on its own line, the values in one column. */
  static String align(Map<String, String> lines) {
    int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
    String indent = " ".repeat(width);
    StringBuilder out = new StringBuilder();
    lines.forEach(
        (key, value) -> {
          out.append(String.format("%-" + width + "s", key + ":"));
          // A multi-line value (an error with a trace) keeps its lines under the value column.
          out.append(value.strip().replace("\n", "\n" + indent)).append('\n');
        });
    return out.toString();
  }

  /** {@code memory 16 pages, output 4096 bytes, result 1 bytes}: what the task asked for. */
  static String limits(TaskLimits limits) {
    List<String> parts = new ArrayList<>();
    limits.memoryPages().ifPresent(p -> parts.add("memory " + p + (p == 1 ? " page" : " pages")));
    limits.maxOutputBytes().ifPresent(b -> parts.add("output " + b + " bytes"));
    limits.maxResultBytes().ifPresent(b -> parts.add("result " + b + " bytes"));
    return String.join(", ", parts);
  }
}
