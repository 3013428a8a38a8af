package dev.taskqueue.producer;

import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.queue.QueuePauses;
import picocli.CommandLine.Command;

/** {@code producer pause QUEUE}: workers stop taking the queue's tasks. */
@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Pauses a queue: workers claim none of its tasks until 'producer resume'. Tasks already"
            + " running finish; new tasks, retries and scheduled tasks still join the queue and"
            + " wait. Pausing a paused queue changes nothing.")
final class PauseCommand extends QueueSwitch {
  @Override
  boolean apply(QueuePauses pauses) {
    return pauses.pause(queue);
  }

  @Override
  String done() {
    return "paused queue "
        + queue
        + ": workers claim none of its tasks until 'producer resume "
        + queue
        + "'; running tasks finish";
  }

  @Override
  String already() {
    return "queue " + queue + " was already paused";
  }
}
