package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code producer dlq show ID}: a dead task as {@code producer status} shows it. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Shows a dead task like 'producer status' does, with every attempt it made.",
      "Exits 1 when the task is not dead."
    })
final class DlqShow implements Callable<Integer> {
  @ParentCommand private DlqCommand dlq;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "ID", description = "The id of a dead task.")
  private String id;

  @Option(names = "--json", description = "Print one JSON object with every field, for scripts.")
  private boolean json;

  @Override
  public Integer call() {
    Config config = common.config();
    TaskId taskId = TaskId.parse(id);
    Task task;
    try (TaskClient client = dlq.connect(config)) {
      task = client.require(taskId);
    }
    if (task.stage() != Stage.DEAD) {
      throw new TaskQueueException(
          ExitCode.FAILURE,
          "task "
              + taskId
              + " is not dead, it is "
              + task.stage().wireName()
              + ": see 'producer status "
              + taskId
              + "'");
    }
    Stdout.print(
        json
            ? TaskReport.json(task) + "\n"
            : TaskReport.text(task, dlq.clock().instant(), DlqShow::noneWaited));
    return ExitCode.OK.code();
  }

  /** A dead task waits for no scheduler or reaper, so its report never asks how many run. */
  private static Movers noneWaited() {
    throw new IllegalStateException("bug: a dead task's report asked for its movers");
  }
}
