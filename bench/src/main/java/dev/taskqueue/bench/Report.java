package dev.taskqueue.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints rows: an aligned table for people, or one JSON object per row for scripts. Both say how
 * the processes the bench starts log, which changes what a worker does per task, and the JVM
 * options the workers were given, where any were.
 */
final class Report {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String FORMAT = "%-44s %7s %7s %11s %5s %8s %10s %9s %9s %9s %10s%n";

  private final boolean json;
  private final ProcessLogging logging;
  private final WorkerJavaOpts javaOpts;
  private boolean headed;

  Report(boolean json, ProcessLogging logging, WorkerJavaOpts javaOpts) {
    this.json = json;
    this.logging = logging;
    this.javaOpts = javaOpts;
  }

  void print(Row row) {
    if (json) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("scenario", row.scenario());
      fields.put("tasks", row.tasks());
      fields.put("workers", row.workers());
      fields.put("concurrency", row.concurrency());
      fields.put("logs", row.logs() ? "on" : "off");
      if (row.workers() > 0) {
        fields.put("log_level", logging.level());
        fields.put("log_format", logging.format());
        if (javaOpts.given()) {
          fields.put(WorkerJavaOpts.KEY, javaOpts.value());
        }
      }
      fields.put("seconds", round(row.seconds()));
      put(fields, "per_s", row.perSecond());
      putMillis(fields, "p50_ms", row.p50Ms());
      putMillis(fields, "p99_ms", row.p99Ms());
      putMillis(fields, "max_ms", row.maxMs());
      put(fields, "redis_cmds_per_task", row.redisCommandsPerTask());
      row.extra()
          .forEach(
              (name, value) -> {
                if (isMillis(name)) {
                  putMillis(fields, name, OptionalDouble.of(value));
                } else {
                  fields.put(name, round(value));
                }
              });
      System.out.println(JSON.writeValueAsString(fields));
      return;
    }
    if (!headed) {
      System.out.printf(
          Locale.ROOT,
          FORMAT,
          "SCENARIO",
          "TASKS",
          "WORKERS",
          "CONCURRENCY",
          "LOGS",
          "SECONDS",
          "PER_S",
          "P50_MS",
          "P99_MS",
          "MAX_MS",
          "CMDS/TASK");
      headed = true;
    }
    System.out.printf(
        Locale.ROOT,
        FORMAT,
        row.scenario(),
        row.tasks(),
        row.workers(),
        row.concurrency(),
        row.logs() ? "on" : "off",
        String.format(Locale.ROOT, "%.2f", row.seconds()),
        text(row.perSecond(), "%.0f"),
        millis(row.p50Ms()),
        millis(row.p99Ms()),
        millis(row.maxMs()),
        text(row.redisCommandsPerTask(), "%.1f"));
    if (row.workers() > 0 || !row.extra().isEmpty()) {
      StringBuilder line = new StringBuilder("  ");
      if (row.workers() > 0) {
        line.append("log_level ")
            .append(logging.level())
            .append("  log_format ")
            .append(logging.format())
            .append("  ");
        if (javaOpts.given()) {
          line.append(WorkerJavaOpts.KEY).append(" '").append(javaOpts.value()).append("'  ");
        }
      }
      row.extra()
          .forEach(
              (name, value) ->
                  line.append(name)
                      .append(' ')
                      .append(
                          isMillis(name)
                              ? millis(OptionalDouble.of(value))
                              : String.format(Locale.ROOT, "%.1f", value))
                      .append("  "));
      System.out.println(line.toString().stripTrailing());
    }
  }

  /** A line for people under the table, such as how figures compare with their targets. */
  void note(String line) {
    if (!json) {
      System.out.println(line);
    }
  }

  /** Milliseconds to the microsecond: a sandboxed task takes a few dozen. */
  private static void putMillis(Map<String, Object> fields, String name, OptionalDouble value) {
    if (value.isPresent()) {
      fields.put(name, Math.round(value.getAsDouble() * 1000) / 1000.0);
    }
  }

  /**
   * Whether a figure of a row's own is in milliseconds ({@code min_p99_ms}, {@code
   * first_start_ms}): shown as the percentiles are, to the microsecond where under one.
   */
  private static boolean isMillis(String name) {
    return name.endsWith("_ms");
  }

  private static String millis(OptionalDouble value) {
    return text(value, value.orElse(0) < 1 ? "%.3f" : "%.1f");
  }

  private static void put(Map<String, Object> fields, String name, OptionalDouble value) {
    if (value.isPresent()) {
      fields.put(name, round(value.getAsDouble()));
    }
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static String text(OptionalDouble value, String format) {
    return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : "-";
  }
}
