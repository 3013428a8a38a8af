package dev.taskqueue.producer;

import static dev.taskqueue.task.TaskFields.*;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.producer.TaskClient.Place;
import dev.taskqueue.task.Task;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code producer inspect}: the tasks in one place of a queue, in that place's order. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Lists the tasks of a queue in one stage, in its order: pending (the next first),"
          + " processing (the longest held first), scheduled (the earliest first), completed and"
          + " dead (the newest first).",
      "'producer status ID' shows one task whole."
    })
final class InspectCommand implements Callable<Integer> {
  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Option(
      names = "--queue",
      paramLabel = "QUEUE",
      description = "The queue (default: ${DEFAULT-VALUE}).")
  String queue = "default";

  @Option(
      names = "--stage",
      paramLabel = "STAGE",
      description =
          "pending, processing, scheduled, completed or dead (default: ${DEFAULT-VALUE}).")
  String stage = "pending";

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "List at most N tasks (default: ${DEFAULT-VALUE}).")
  int limit = 20;

  @Option(names = "--json", description = "Print one JSON object per task, one per line.")
  boolean json;

  @Override
  public Integer call() {
    Place place = place(stage);
    dev.taskqueue.queue.QueueName.check(queue);
    if (limit < 1) {
      throw new InvalidInputException(
          "--limit " + limit + " is not positive: give how many tasks to list at most, such as 20");
    }
    Config config = common.config();
    List<Task> tasks;
    String where = "";
    try (TaskClient client = producer.connect(config)) {
      tasks = client.inspect(queue, place, limit);
      if (tasks.isEmpty() && !json) {
        where = KnownQueues.where(client, queue);
      }
    }
    Stdout.print(json ? json(tasks, place) : text(tasks, place, where));
    return ExitCode.OK.code();
  }

  private static Place place(String stage) {
    try {
      return Place.valueOf(stage.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "--stage '"
              + stage
              + "' is not one this lists: give pending, processing, scheduled, completed or dead");
    }
  }

  /**
   * The time that matters in {@code place}: since when it waited, ran, or when it runs or ended.
   */
  private static Optional<Instant> when(Task task, Place place) {
    return switch (place) {
      case PENDING -> Optional.of(task.dueAt());
      case PROCESSING -> task.startedAt();
      case SCHEDULED -> task.runAt();
      case COMPLETED, DEAD -> task.finishedAt();
    };
  }

  private static String column(Place place) {
    return switch (place) {
      case PENDING -> "DUE";
      case PROCESSING -> "STARTED";
      case SCHEDULED -> "RUN AT";
      case COMPLETED, DEAD -> "FINISHED";
    };
  }

  private String text(List<Task> tasks, Place place, String where) {
    if (tasks.isEmpty()) {
      return "no " + stage.toLowerCase(Locale.ROOT) + " tasks" + where + "\n";
    }
    Table table = new Table("ID", "TASK", "STAGE", "ATTEMPTS", column(place), "WORKER");
    for (Task t : tasks) {
      table.row(
          t.id().value(),
          t.name(),
          t.stage().wireName(),
          Integer.toString(t.attempts()),
          when(t, place).map(at -> at.truncatedTo(ChronoUnit.MILLIS).toString()).orElse("-"),
          t.workerId().orElse("-"));
    }
    String note =
        tasks.size() == limit ? "showing the first " + limit + "; --limit shows more\n" : "";
    return table.render("") + note;
  }

  private static String json(List<Task> tasks, Place place) {
    List<String> lines = new ArrayList<>();
    for (Task t : tasks) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put(ID, t.id().value());
      fields.put(QUEUE, t.queue());
      fields.put(NAME, t.name());
      fields.put(STAGE, t.stage().wireName());
      fields.put(ATTEMPTS, t.attempts());
      fields.put(CREATED_AT, t.createdAt().toString());
      fields.put(
          column(place).toLowerCase(Locale.ROOT).replace(' ', '_'),
          when(t, place).map(Instant::toString).orElse(null));
      fields.put(WORKER_ID, t.workerId().orElse(null));
      lines.add(Json.mapper().writeValueAsString(fields));
    }
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }
}
