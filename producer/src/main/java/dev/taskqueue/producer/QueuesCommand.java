package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.queue.QueueDepths.Depth;
import dev.taskqueue.task.Task;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.json.JsonMapper;

/** {@code producer queues}: every queue's depths and how long its next task has waited. */
@Command(
    name = "queues",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Lists every queue with how many tasks are pending, processing, scheduled (for later, or"
          + " waiting to retry) and dead, and how long the next pending task has waited since it"
          + " was due."
    })
final class QueuesCommand implements Callable<Integer> {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Option(names = "--json", description = "One JSON object per queue.")
  boolean json;

  /** One queue as shown: its depths, and since when its next pending task was due. */
  record QueueView(String queue, Depth depth, Optional<Instant> oldestDue) {}

  @Override
  public Integer call() {
    Config config = common.config();
    Map<String, QueueView> queues = new LinkedHashMap<>();
    try (TaskClient client = producer.connect(config)) {
      client
          .depths()
          .forEach(
              (queue, depth) ->
                  queues.put(
                      queue,
                      new QueueView(queue, depth, client.nextPending(queue).map(Task::dueAt))));
    }
    Instant now = producer.clock().instant();
    Stdout.print(json ? json(queues, now) : text(queues, now));
    return ExitCode.OK.code();
  }

  private static String json(Map<String, QueueView> queues, Instant now) {
    StringBuilder out = new StringBuilder();
    for (QueueView q : queues.values()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("queue", q.queue());
      fields.put("pending", q.depth().pending());
      fields.put("processing", q.depth().processing());
      fields.put("scheduled", q.depth().scheduled());
      fields.put("dlq", q.depth().dlq());
      fields.put(
          "oldest_pending_ms",
          q.oldestDue()
              .map(due -> Math.max(0, now.toEpochMilli() - due.toEpochMilli()))
              .orElse(null));
      out.append(JSON.writeValueAsString(fields)).append('\n');
    }
    return out.toString();
  }

  private static String text(Map<String, QueueView> queues, Instant now) {
    if (queues.isEmpty()) {
      return "no queues yet: a queue appears with its first task\n";
    }
    Table table = new Table("QUEUE", "PENDING", "PROCESSING", "SCHEDULED", "DLQ", "OLDEST PENDING");
    for (QueueView q : queues.values()) {
      table.row(
          q.queue(),
          Long.toString(q.depth().pending()),
          Long.toString(q.depth().processing()),
          Long.toString(q.depth().scheduled()),
          Long.toString(q.depth().dlq()),
          q.oldestDue().map(due -> HistoryReport.took(due, now)).orElse("-"));
    }
    return table.render("");
  }
}
