package dev.taskqueue.producer;

import static dev.taskqueue.task.TaskFields.*;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.task.Task;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code producer scheduled}: the tasks waiting for their time, earliest first: those submitted
 * with {@code --at} or {@code --in}, and failed ones waiting out their retry backoff (stage {@code
 * retrying}), as both wait in the same place.
 */
@Command(
    name = "scheduled",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Lists the tasks waiting for their time, earliest first.",
      "Those are the tasks submitted with --at or --in (stage scheduled) and the retries waiting"
          + " out their backoff (stage retrying).",
      "Cron schedules are listed by 'producer cron list'."
    })
final class ScheduledCommand implements Callable<Integer> {
  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Mixin private TaskListOptions list;

  @Override
  public Integer call() {
    Config config = common.config();
    list.check();
    List<Task> waiting = new ArrayList<>();
    String where = "";
    try (TaskClient client = producer.connect(config)) {
      for (String q : list.queues(client)) {
        // One more than shown, to know whether --limit left some out.
        waiting.addAll(client.scheduled(q, (int) Math.min(Integer.MAX_VALUE, list.limit + 1L)));
      }
      if (waiting.isEmpty() && !list.json) {
        where = list.where(client);
      }
    }
    waiting.sort(Comparator.comparing((Task t) -> t.runAt().orElse(Instant.EPOCH)));
    List<Task> shown = waiting.subList(0, Math.min(list.limit, waiting.size()));
    Stdout.print(list.json ? json(shown) : text(shown, waiting.size() > list.limit, where));
    return ExitCode.OK.code();
  }

  private static String json(List<Task> tasks) {
    StringBuilder out = new StringBuilder();
    for (Task t : tasks) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put(ID, t.id().value());
      fields.put(QUEUE, t.queue());
      fields.put(NAME, t.name());
      fields.put(STAGE, t.stage().wireName());
      fields.put(RUN_AT, t.runAt().map(Instant::toString).orElse(null));
      fields.put(ATTEMPTS, t.attempts());
      fields.put(CREATED_AT, t.createdAt().toString());
      out.append(Json.mapper().writeValueAsString(fields)).append('\n');
    }
    return out.toString();
  }

  private static String text(List<Task> tasks, boolean more, String where) {
    if (tasks.isEmpty()) {
      return "no scheduled tasks" + where + "\n";
    }
    Table table = new Table("RUN AT", "ID", "TASK", "QUEUE", "STAGE", "ATTEMPTS");
    for (Task t : tasks) {
      table.row(
          t.runAt().map(at -> at.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-"),
          t.id().value(),
          t.name(),
          t.queue(),
          t.stage().wireName(),
          Integer.toString(t.attempts()));
    }
    String note =
        more ? "showing the first " + tasks.size() + " waiting tasks; --limit shows more\n" : "";
    return table.render("") + note;
  }
}
