package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.queue.TaskCanceller.Cancel;
import dev.taskqueue.task.TaskId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code producer cancel ID}: takes a task that has not started out of its queue. Cancelling one
 * that is cancelled already succeeds, so a script may send it again.
 */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Cancels a task that has not started: pending, scheduled for later, or waiting for a retry.",
      "Exits 1 when it is running (it cannot be cancelled yet) or has ended already."
    })
final class CancelCommand implements Callable<Integer> {
  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "ID", description = "The task id 'producer submit' printed.")
  private String id;

  @Override
  public Integer call() {
    Config config = common.config();
    TaskId taskId = TaskId.parse(id);
    try (TaskClient client = producer.connect(config)) {
      Cancel cancel = client.cancel(taskId);
      switch (cancel) {
        case CANCELLED -> Stdout.print("cancelled " + taskId + "\n");
        case ALREADY_CANCELLED -> Stdout.print("task " + taskId + " was cancelled already\n");
        case NO_SUCH_TASK -> throw client.notFound(taskId);
        case RUNNING ->
            throw new TaskQueueException(
                ExitCode.FAILURE,
                "task "
                    + taskId
                    + " is running: it cannot be cancelled yet; wait for it to end (see"
                    + " 'producer status "
                    + taskId
                    + "')");
        case ENDED -> throw ended(client, taskId);
      }
    }
    return ExitCode.OK.code();
  }

  private static TaskQueueException ended(TaskClient client, TaskId id) {
    String stage = client.find(id).map(t -> t.stage().wireName()).orElse("gone");
    return new TaskQueueException(
        ExitCode.FAILURE,
        "task "
            + id
            + " has ended already ("
            + stage
            + "): there is nothing to cancel (see 'producer status "
            + id
            + "')");
  }
}
