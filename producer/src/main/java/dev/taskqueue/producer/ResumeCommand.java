package dev.taskqueue.producer;

import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.queue.QueuePauses;
import picocli.CommandLine.Command;

/** {@code producer resume QUEUE}: workers take the queue's tasks again. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Resumes a paused queue: workers claim its tasks again within a second. Resuming a queue"
            + " that is not paused changes nothing.")
final class ResumeCommand extends QueueSwitch {
  @Override
  boolean apply(QueuePauses pauses) {
    return pauses.resume(queue);
  }

  @Override
  String done() {
    return "resumed queue " + queue;
  }

  @Override
  String already() {
    return "queue " + queue + " was not paused";
  }
}
