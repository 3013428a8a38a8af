package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.tasklog.LogLine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code producer logs ID [--attempt N|last] [--stream stdout|stderr] [--follow] [--json]}: a
 * task's output, read from Redis, so from any machine: one line per output line, {@code <time>
 * <stream> <text>} as the log file has it, each attempt headed by a line of its own.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Prints what a task wrote to stdout and stderr, every attempt, from Redis.",
      "With --follow, goes on printing lines as a running task writes them, and ends when the"
          + " task ends."
    })
final class LogsCommand implements Callable<Integer> {
  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "ID", description = "The task id 'producer submit' printed.")
  private String id;

  @Option(
      names = "--attempt",
      paramLabel = "N|last",
      description =
          "Only attempt N (a replayed task numbers its attempts from 1 again), or the latest:"
              + " last (with --follow, the latest and those after it).")
  private String attemptGiven;

  /** The attempt number asked for; null for every attempt, or for the latest. */
  private Integer attempt;

  /** With {@code --attempt last}: the task as it was when asked, whose latest attempt that is. */
  private Task latest;

  @Option(
      names = "--stream",
      paramLabel = "stdout|stderr",
      description = "Only this stream (the worker's own lines, such as output cut, are kept).")
  private String stream;

  @Option(
      names = "--follow",
      description = "Keep printing lines as they are written, until the task ends.")
  private boolean follow;

  @Option(
      names = "--json",
      description =
          "One JSON object per line: {time, attempt, lease_token, stream, line} (a replayed"
              + " task's attempts count from 1 again; the lease token tells them apart).")
  private boolean json;

  @Override
  public Integer call() throws InterruptedException {
    if (stream != null && !stream.equals("stdout") && !stream.equals("stderr")) {
      throw new InvalidInputException(
          "--stream '" + stream + "' is not a stream: use stdout or stderr");
    }
    if (attemptGiven != null && !attemptGiven.equals("last")) {
      attempt = attemptNumber(attemptGiven);
    }
    Config config = common.config();
    TaskId taskId = TaskId.parse(id);
    Printer print = new Printer();
    try (TaskClient client = producer.connect(config)) {
      if (attemptGiven != null && attempt == null) {
        latest = client.require(taskId);
      }
      if (follow) {
        client.followLogs(taskId, print);
      } else {
        client.logs(taskId).forEach(print);
      }
      // On stderr: what goes to stdout stays the log, for whatever reads it.
      Optional<Task> task = client.find(taskId);
      if (print.printed == 0) {
        System.err.println(
            "producer logs: " + nothing(task.orElseGet(() -> client.require(taskId))));
      }
      if (follow) {
        System.err.println("producer logs: " + ended(taskId, task));
      }
    }
    return ExitCode.OK.code();
  }

  /**
   * How the followed task ended, so that whoever watched its lines need not ask: {@code task 01… is
   * dead after 2 attempts: timed out after 3s and was interrupted ...}.
   */
  private static String ended(TaskId id, Optional<Task> found) {
    if (found.isEmpty()) {
      return "task " + id + " is gone: retention removed it after it ended (TASK_QUEUE_KEEP_*)";
    }
    Task task = found.get();
    String attempts = task.attempts() == 1 ? "1 attempt" : task.attempts() + " attempts";
    return switch (task.stage()) {
      case COMPLETED ->
          "task " + id + " completed after " + attempts + " ('producer result " + id + "')";
      case DEAD ->
          "task "
              + id
              + " is dead after "
              + attempts
              + ": "
              + ResultCommand.errorLine(task)
              + " ('producer dlq replay "
              + id
              + "' runs it again)";
      case CANCELLED -> "task " + id + " was cancelled";
      default -> "task " + id + " is " + task.stage().wireName();
    };
  }

  private static int attemptNumber(String given) {
    try {
      int number = Integer.parseInt(given);
      if (number >= 1) {
        return number;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new InvalidInputException(
        "--attempt '" + given + "' is not an attempt: give its number, counting from 1, or last");
  }

  /** Why nothing was printed: the filters, or a task that has not written (yet). */
  private String nothing(Task task) {
    if (attemptGiven != null || stream != null) {
      return "no line of task "
          + task.id().value()
          + " matches"
          + (attemptGiven == null ? "" : " --attempt " + attemptGiven)
          + (stream == null ? "" : " --stream " + stream);
    }
    String written = "task " + task.id().value() + " has written no output";
    return switch (task.stage()) {
      case SCHEDULED, PENDING, RETRYING -> written + " yet: it is " + task.stage().wireName();
      case IN_PROGRESS -> written + " yet (--follow prints lines as it writes them)";
      case COMPLETED, DEAD, CANCELLED -> written;
    };
  }

  /**
   * Prints the lines the filters let through, each attempt opened by a header in text. An attempt
   * that follows a replay ({@link HistoryReport#followsReplay}) is told from the earlier attempt of
   * its number by its lease token, and its header says so.
   */
  private boolean ofAttemptAsked(LogLine line) {
    if (attempt != null) {
      return line.attempt() == attempt;
    }
    if (latest == null) {
      return true;
    }
    // The latest claim's token, and every later one: a line written before tokens (0) is told by
    // its attempt number alone.
    return line.leaseToken() > 0
        ? line.leaseToken() >= latest.leaseToken()
        : line.attempt() == latest.attempts();
  }

  private final class Printer implements Consumer<LogLine> {
    private int lastAttempt;
    private long lastToken;
    private int printed;

    @Override
    public void accept(LogLine line) {
      if (!ofAttemptAsked(line)
          || (stream != null && !line.stream().equals(stream) && !line.stream().equals("task"))) {
        return;
      }
      printed++;
      if (json) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("time", line.time().toString());
        document.put("attempt", line.attempt());
        if (line.leaseToken() > 0) {
          document.put("lease_token", line.leaseToken());
        }
        document.put("stream", line.stream());
        document.put("line", line.text());
        Stdout.print(Json.mapper().writeValueAsString(document) + "\n");
        return;
      }
      if (line.attempt() != lastAttempt || line.leaseToken() != lastToken) {
        boolean replayed = HistoryReport.followsReplay(lastAttempt, line.attempt());
        lastAttempt = line.attempt();
        lastToken = line.leaseToken();
        Stdout.print("-- attempt " + line.attempt() + (replayed ? ", after a replay" : "") + "\n");
      }
      Stdout.print(line + "\n");
    }
  }
}
