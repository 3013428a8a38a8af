package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.queue.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code producer stats}: the state of the whole deployment at a glance: per queue its depths, its
 * throughput over the last minute and how long its next task has waited; and the workers alive.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Shows per queue: whether it is paused; tasks pending, processing, scheduled and dead;"
          + " attempts completed and failed per second over the last minute; how long the next"
          + " pending task has waited."
          + " Then the workers alive and their busy slots, and how many schedulers and reapers"
          + " run.",
      "With --watch, shows it again every interval until Ctrl-C."
    })
final class StatsCommand implements Callable<Integer> {
  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Option(
      names = "--watch",
      paramLabel = "INTERVAL",
      converter = DurationConverter.class,
      description = "Show it again every INTERVAL (at least 100ms), e.g. 2s, until Ctrl-C.")
  Duration watch;

  @Option(names = "--json", description = "One JSON object each time.")
  boolean json;

  /** One queue's line: its view, and its counts over the last minute. */
  record QueueLine(QueueView view, QueueStats.Counts counts) {}

  /** The workers alive, and their slots; the schedulers and reapers that say they run. */
  record Workers(int alive, long slots, long busy, Movers movers) {}

  @Override
  public Integer call() throws InterruptedException {
    if (watch != null && watch.compareTo(Duration.ofMillis(100)) < 0) {
      throw new InvalidInputException(
          "--watch " + ValueTypes.format(watch) + ": give at least 100ms");
    }
    Config config = common.config();
    try (TaskClient client = producer.connect(config)) {
      while (true) {
        Stdout.print(render(client));
        if (watch == null) {
          return ExitCode.OK.code();
        }
        Thread.sleep(watch.toMillis());
        if (!json) {
          Stdout.print("\n");
        }
      }
    }
  }

  private String render(TaskClient client) {
    List<QueueLine> queues = new ArrayList<>();
    for (QueueView view : QueueView.read(client)) {
      queues.add(new QueueLine(view, client.stats(view.queue())));
    }
    long slots = 0;
    long busy = 0;
    List<Map<String, String>> alive = client.workers();
    for (Map<String, String> worker : alive) {
      slots += number(worker.get("slots"));
      busy += number(worker.get("busy"));
    }
    Workers workers = new Workers(alive.size(), slots, busy, client.movers());
    Instant now = producer.clock().instant();
    return json ? json(queues, workers, now) : text(queues, workers, now);
  }

  private static long number(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static String text(List<QueueLine> queues, Workers workers, Instant now) {
    StringBuilder out = new StringBuilder();
    if (queues.isEmpty()) {
      out.append("no queues yet: a queue appears with its first task\n");
    } else {
      List<String> headers = new ArrayList<>(QueueView.HEADERS);
      headers.addAll(List.of("DONE/S", "FAILED/S", "OLDEST PENDING"));
      Table table = new Table(headers.toArray(String[]::new));
      for (QueueLine q : queues) {
        List<String> cells = new ArrayList<>(q.view().cells());
        cells.add(rate(q.counts().completedPerSecond()));
        cells.add(rate(q.counts().failedPerSecond()));
        cells.add(q.view().waited(now));
        table.row(cells.toArray(String[]::new));
      }
      out.append(table.render(""));
      out.append(
          QueueView.notes(queues.stream().map(QueueLine::view).toList(), now, workers::movers));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "workers: %d alive, %d of %d slots busy (at %s)%n",
            workers.alive(),
            workers.busy(),
            workers.slots(),
            now.truncatedTo(ChronoUnit.SECONDS)));
    out.append(
        workers.movers().none()
            ? "schedulers and reapers: none runs, so no retry, task for later or cron firing"
                + " reaches its queue (start bin/scheduler and bin/reaper)\n"
            : "schedulers: "
                + workers.movers().schedulers()
                + " alive, reapers: "
                + workers.movers().reapers()
                + " alive\n");
    return out.toString();
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, perSecond < 10 ? "%.2f" : "%.0f", perSecond);
  }

  private static String json(List<QueueLine> queues, Workers workers, Instant now) {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (QueueLine q : queues) {
      Map<String, Object> fields = q.view().fields();
      fields.put("completed_last_minute", q.counts().completed());
      fields.put("failed_last_minute", q.counts().failed());
      fields.put("window_ms", q.counts().window().toMillis());
      fields.put("completed_per_s", q.counts().completedPerSecond());
      fields.put("failed_per_s", q.counts().failedPerSecond());
      fields.put("oldest_pending_ms", q.view().waitedMs(now).orElse(null));
      fields.put("submitted", q.counts().submitted());
      lines.add(fields);
    }
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("at", now.toString());
    all.put("queues", lines);
    Map<String, Object> live = new LinkedHashMap<>();
    live.put("alive", workers.alive());
    live.put("slots", workers.slots());
    live.put("busy", workers.busy());
    all.put("workers", live);
    all.put("schedulers", workers.movers().schedulers());
    all.put("reapers", workers.movers().reapers());
    return Json.mapper().writeValueAsString(all) + "\n";
  }
}
