package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code producer result ID}: what a completed task returned, exactly. A task without a result (not
 * finished yet, retrying, dead or cancelled) ends the command with exit code 1 and one line saying
 * why, so a script can tell "no result" from "empty result".
 */
@Command(
    name = "result",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Prints what a completed task returned: text followed by a newline, binary as raw bytes.",
      "Exits 1 when the task has not completed (yet), or was cancelled."
    })
final class ResultCommand implements Callable<Integer> {
  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "ID", description = "The task id 'producer submit' printed.")
  private String id;

  @Option(
      names = "--json",
      description = "Print {id, stage, result, result_encoding, error} as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    Config config = common.config();
    TaskId taskId = TaskId.parse(id);
    Task task;
    try (TaskClient client = producer.connect(config)) {
      task = client.require(taskId);
    }
    if (json) {
      Stdout.print(TaskReport.resultJson(task) + "\n");
    }
    if (task.stage() != Stage.COMPLETED) {
      throw noResult(task);
    }
    if (!json) {
      TaskResult result = task.result().orElse(new TaskResult("", TaskResult.UTF_8));
      Stdout.write(result.bytes());
      if (TaskResult.UTF_8.equals(result.encoding())) {
        Stdout.print("\n");
      }
    }
    return ExitCode.OK.code();
  }

  /**
   * The task's error as one line of a message, as every error the CLI prints ('producer status'
   * shows the whole error).
   */
  static String errorLine(Task task) {
    return task.error().map(e -> Table.oneLine(e, 200)).orElse("no error was recorded");
  }

  private static TaskQueueException noResult(Task task) {
    String see = " (see 'producer status " + task.id() + "')";
    String error = errorLine(task);
    String message =
        switch (task.stage()) {
          case RETRYING ->
              "task "
                  + task.id()
                  + " failed its attempt "
                  + task.attempts()
                  + " and will be retried"
                  + task.runAt().map(at -> " at " + at).orElse("")
                  + ": "
                  + error
                  + see;
          case DEAD ->
              "task "
                  + task.id()
                  + (task.attempts() > task.maxRetries()
                      ? " is dead, its retries spent: "
                      : " is dead: ")
                  + error
                  + " (see 'producer dlq show "
                  + task.id()
                  + "'; 'producer dlq replay "
                  + task.id()
                  + "' runs it again)";
          case SCHEDULED ->
              "task "
                  + task.id()
                  + " is scheduled to run"
                  + task.runAt().map(at -> " at " + at).orElse(" later")
                  + "; no result yet"
                  + see;
          case CANCELLED ->
              "task "
                  + task.id()
                  + " was cancelled before it ran: it has no result and will not run"
                  + see;
          default ->
              "task " + task.id() + " is " + task.stage().wireName() + "; no result yet" + see;
        };
    return new TaskQueueException(ExitCode.FAILURE, message);
  }
}
