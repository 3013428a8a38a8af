package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.logging.TaskLogFiles;
import dev.taskqueue.queue.EndedTasks;
import dev.taskqueue.queue.QueueName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code producer dlq purge [--queue Q] [--older-than 7d] --yes}: deletes dead tasks for good.
 * Without {@code --yes} it only says what it would delete.
 */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Deletes dead tasks for good, with their log files where they lie under this machine's"
          + " TASK_QUEUE_WASM_LOG_DIR (files on other machines stay).",
      "Without --yes, prints what it would delete and deletes nothing."
    })
final class DlqPurge implements Callable<Integer> {
  @ParentCommand private DlqCommand dlq;

  @Mixin private CommonOptions common;

  @Option(
      names = "--queue",
      paramLabel = "QUEUE",
      description = "Only this queue (default: every queue).")
  private String queue;

  @Option(
      names = "--older-than",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Only tasks that died longer ago than this, e.g. 7d (default: every one).")
  private Duration olderThan;

  @Option(names = "--yes", description = "Delete them; without it nothing is deleted.")
  private boolean yes;

  @Override
  public Integer call() {
    Config config = common.config();
    if (queue != null) {
      QueueName.check(queue);
    }
    Map<String, List<String>> ids = new LinkedHashMap<>();
    // With --queue and nothing to purge: KnownQueues' note on that queue.
    String note = "";
    try (TaskClient client = dlq.connect(config)) {
      DeadTasks dead = client.deadLetters();
      for (String q : queue == null ? client.queues() : List.of(queue)) {
        List<String> found = yes ? purge(dead, q, logDir(config)) : preview(dead, q);
        if (!found.isEmpty()) {
          ids.put(q, found);
        }
      }
      if (ids.isEmpty() && queue != null) {
        note = KnownQueues.noteFor(client, queue);
      }
    }
    Stdout.print(yes ? removed(ids, note) : wouldRemove(ids, note));
    return ExitCode.OK.code();
  }

  private List<String> preview(DeadTasks dead, String q) {
    return olderThan == null ? dead.purgeable(q) : dead.purgeable(q, olderThan);
  }

  private List<String> purge(DeadTasks dead, String q, Path logDir) {
    List<EndedTasks.Deleted> deleted = olderThan == null ? dead.purge(q) : dead.purge(q, olderThan);
    for (EndedTasks.Deleted task : deleted) {
      task.logPath().ifPresent(location -> deleteLog(logDir, location));
    }
    return deleted.stream().map(EndedTasks.Deleted::id).toList();
  }

  private static Path logDir(Config config) {
    return config.get(Settings.SAVE_WASM_LOGS)
        ? config.get(Settings.WASM_LOG_DIR).toAbsolutePath().normalize()
        : null;
  }

  /** The task is gone either way; a log file that cannot be deleted is only reported. */
  private static void deleteLog(Path logDir, String location) {
    try {
      TaskLogFiles.delete(logDir, location);
    } catch (IOException e) {
      System.err.println("producer dlq purge: could not delete log file " + location + ": " + e);
    }
  }

  private String removed(Map<String, List<String>> ids, String note) {
    int total = ids.values().stream().mapToInt(List::size).sum();
    String perQueue =
        ids.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue().size())
            .collect(Collectors.joining(", "));
    return "removed " + tasks(total) + (total == 0 ? note : ": " + perQueue) + "\n";
  }

  private String wouldRemove(Map<String, List<String>> ids, String note) {
    if (ids.isEmpty()) {
      return "no dead tasks"
          + (olderThan == null ? "" : " older than " + ValueTypes.format(olderThan))
          + (queue == null ? "" : " in queue " + queue)
          + " to remove"
          + note
          + "\n";
    }
    StringBuilder out = new StringBuilder();
    ids.forEach(
        (q, list) -> {
          out.append("would remove ").append(tasks(list.size())).append(" of queue ");
          out.append(q).append(":\n");
          list.forEach(id -> out.append("  ").append(id).append('\n'));
        });
    return out.append("nothing was removed: run again with --yes to remove them\n").toString();
  }

  private static String tasks(int n) {
    return n + (n == 1 ? " dead task" : " dead tasks");
  }
}
