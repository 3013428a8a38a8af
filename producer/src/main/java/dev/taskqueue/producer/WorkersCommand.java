package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code producer workers}: the workers alive now, from their heartbeat records. */
@Command(
    name = "workers",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Lists the workers alive now (their heartbeat has not expired), by id: where each runs,"
          + " what it serves, how busy it is, and when it last beat.",
      "A worker that died drops out once its heartbeat expires (TASK_QUEUE_LEASE_DURATION)."
    })
final class WorkersCommand implements Callable<Integer> {
  private static final double MB = 1024.0 * 1024.0;

  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Option(
      names = "--json",
      description = "One JSON object per worker: its heartbeat record, fields by name.")
  boolean json;

  @Override
  public Integer call() {
    Config config = common.config();
    List<Map<String, String>> workers;
    try (TaskClient client = producer.connect(config)) {
      workers = client.workers();
    }
    workers = workers.stream().sorted(Comparator.comparing(w -> w.getOrDefault("id", ""))).toList();
    Stdout.print(json ? json(workers) : text(workers, producer.clock().instant()));
    return ExitCode.OK.code();
  }

  /** Each record's fields by name, whole numbers as numbers (times in ms since the epoch). */
  private static String json(List<Map<String, String>> workers) {
    StringBuilder out = new StringBuilder();
    for (Map<String, String> worker : workers) {
      Map<String, Object> fields = new TreeMap<>();
      worker.forEach(
          (name, value) ->
              fields.put(name, value.matches("-?\\d{1,18}") ? Long.parseLong(value) : value));
      out.append(Json.mapper().writeValueAsString(fields)).append('\n');
    }
    return out.toString();
  }

  static String text(List<Map<String, String>> workers, Instant now) {
    if (workers.isEmpty()) {
      return "no workers alive\n";
    }
    Table table =
        new Table(
            "ID", "HOST", "PID", "VERSION", "QUEUES", "BUSY", "SLOTS", "UP", "LAST BEAT", "HEAP");
    for (Map<String, String> w : workers) {
      table.row(
          w.getOrDefault("id", "-"),
          w.getOrDefault("host", "-"),
          w.getOrDefault("pid", "-"),
          w.getOrDefault("version", "-"),
          w.getOrDefault("queues", "-"),
          w.getOrDefault("busy", "-"),
          w.getOrDefault("slots", "-"),
          since(w.get("started_at"), now),
          ago(w.get("beat_at"), now),
          heap(w));
    }
    return table.render("");
  }

  private static String since(String epochMs, Instant now) {
    return epochMs == null
        ? "-"
        : HistoryReport.took(Instant.ofEpochMilli(Long.parseLong(epochMs)), now);
  }

  private static String ago(String epochMs, Instant now) {
    return epochMs == null ? "-" : since(epochMs, now) + " ago";
  }

  /** The heap after the last GC, of the most the JVM may take: what a leak would show in. */
  private static String heap(Map<String, String> w) {
    String after = w.get("heap_after_gc");
    String max = w.get("heap_max");
    if (after == null || max == null) {
      return "-";
    }
    return String.format(
        Locale.ROOT, "%.1f of %.0f MB", Long.parseLong(after) / MB, Long.parseLong(max) / MB);
  }
}
