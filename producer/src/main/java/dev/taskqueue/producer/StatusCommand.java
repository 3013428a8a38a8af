package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code producer status ID}: where a task is and what happened to it. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Shows a task's stage, attempts, module, times, worker and error.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "ID", description = "The task id 'producer submit' printed.")
  private String id;

  @Option(names = "--json", description = "Print one JSON object with every field, for scripts.")
  private boolean json;

  @Override
  public Integer call() {
    Config config = common.config();
    TaskId taskId = TaskId.parse(id);
    try (TaskClient client = producer.connect(config)) {
      Task task = client.require(taskId);
      Stdout.print(
          json
              ? TaskReport.json(task) + "\n"
              : TaskReport.text(task, producer.clock().instant(), client::movers));
    }
    return ExitCode.OK.code();
  }
}
