package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code producer queues}: every queue's depths and how long its next task has waited. */
@Command(
    name = "queues",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Lists every queue with whether it is paused ('producer pause'), how many tasks are"
          + " pending, processing, scheduled (for later, or waiting to retry) and dead, and how"
          + " long the next pending task has waited since it was due."
    })
final class QueuesCommand implements Callable<Integer> {
  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Option(names = "--json", description = "One JSON object per queue.")
  boolean json;

  @Override
  public Integer call() {
    Config config = common.config();
    String out;
    try (TaskClient client = producer.connect(config)) {
      List<QueueView> queues = QueueView.read(client);
      Instant now = producer.clock().instant();
      out = json ? json(queues, now) : text(queues, now, client::movers);
    }
    Stdout.print(out);
    return ExitCode.OK.code();
  }

  private static String json(List<QueueView> queues, Instant now) {
    StringBuilder out = new StringBuilder();
    for (QueueView q : queues) {
      Map<String, Object> fields = q.fields();
      fields.put("oldest_pending_ms", q.waitedMs(now).orElse(null));
      out.append(Json.mapper().writeValueAsString(fields)).append('\n');
    }
    return out.toString();
  }

  private static String text(List<QueueView> queues, Instant now, Supplier<Movers> movers) {
    if (queues.isEmpty()) {
      return "no queues yet: a queue appears with its first task\n";
    }
    List<String> headers = new ArrayList<>(QueueView.HEADERS);
    headers.add("OLDEST PENDING");
    Table table = new Table(headers.toArray(String[]::new));
    for (QueueView q : queues) {
      List<String> cells = new ArrayList<>(q.cells());
      cells.add(q.waited(now));
      table.row(cells.toArray(String[]::new));
    }
    return table.render("") + QueueView.notes(queues, now, movers);
  }
}
