package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.task.Task;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code producer dlq list}: the dead tasks of one queue or all, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Lists dead tasks, newest first, with the last error of each.")
final class DlqList implements Callable<Integer> {
  private static final int ERROR_WIDTH = 60;

  @ParentCommand private DlqCommand dlq;

  @Mixin private CommonOptions common;

  @Mixin private TaskListOptions list;

  @Override
  public Integer call() {
    Config config = common.config();
    list.check();
    List<Task> dead = new ArrayList<>();
    long total = 0;
    String where = "";
    try (TaskClient client = dlq.connect(config)) {
      for (String q : list.queues(client)) {
        dead.addAll(client.deadLetters().list(q, list.limit));
        total += client.deadLetters().count(q);
      }
      if (dead.isEmpty() && !list.json) {
        where = list.where(client);
      }
    }
    // Each queue's list is newest first already; the sort merges them and keeps ties in order.
    dead.sort(Comparator.comparing((Task t) -> t.finishedAt().orElse(Instant.EPOCH)).reversed());
    List<Task> shown = dead.subList(0, Math.min(list.limit, dead.size()));
    Stdout.print(list.json ? json(shown) : text(shown, total, where));
    return ExitCode.OK.code();
  }

  private static String json(List<Task> tasks) {
    StringBuilder out = new StringBuilder();
    tasks.forEach(t -> out.append(TaskReport.deadJson(t)).append('\n'));
    return out.toString();
  }

  private String text(List<Task> tasks, long total, String where) {
    if (tasks.isEmpty()) {
      return "no dead tasks" + where + "\n";
    }
    Table table = new Table("ID", "TASK", "QUEUE", "ATTEMPTS", "DIED AT", "ERROR");
    for (Task t : tasks) {
      table.row(
          t.id().value(),
          t.name(),
          t.queue(),
          Integer.toString(t.attempts()),
          t.finishedAt().map(at -> at.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-"),
          t.error().map(e -> Table.oneLine(e, ERROR_WIDTH)).orElse("-"));
    }
    String more =
        total > tasks.size()
            ? "showing " + tasks.size() + " of " + total + " dead tasks; --limit shows more\n"
            : "";
    return table.render("") + more;
  }
}
