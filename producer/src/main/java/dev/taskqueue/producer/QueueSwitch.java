package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.queue.QueuePauses;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** What {@code producer pause} and {@code producer resume} share: a queue to switch, and output. */
abstract class QueueSwitch implements Callable<Integer> {
  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "QUEUE", description = "The queue's name.")
  String queue;

  /** Switches the queue; false when it was in that state already. */
  abstract boolean apply(QueuePauses pauses);

  /** What to print when it switched. */
  abstract String done();

  /** What to print when it was in that state already. */
  abstract String already();

  @Override
  public Integer call() {
    Config config = common.config();
    boolean changed;
    try (TaskClient client = producer.connect(config)) {
      changed = apply(client.pauses());
    }
    Stdout.print((changed ? done() : already()) + "\n");
    return ExitCode.OK.code();
  }
}
