package dev.taskqueue.producer;

import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.queue.QueueName;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of the commands that list tasks across queues ({@code dlq list}, {@code scheduled}):
 * which queue, how many at most, and whether as JSON.
 */
final class TaskListOptions {
  @Option(
      names = "--queue",
      paramLabel = "QUEUE",
      description = "Only this queue (default: every queue).")
  String queue;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "List at most N tasks (default: ${DEFAULT-VALUE}).")
  int limit = 50;

  @Option(names = "--json", description = "Print one JSON object per task, one per line.")
  boolean json;

  /** Refuses a bad queue name or limit before anything connects. */
  void check() {
    if (queue != null) {
      QueueName.check(queue);
    }
    if (limit < 1) {
      throw new InvalidInputException(
          "--limit " + limit + " is not positive: give how many tasks to list at most, such as 50");
    }
  }

  /** The queues to read: the one given, or every queue. */
  Collection<String> queues(TaskClient client) {
    return queue == null ? client.queues() : List.of(queue);
  }

  /** {@link KnownQueues#where} for the --queue given, for the line an empty listing prints. */
  String where(TaskClient client) {
    return KnownQueues.where(client, queue);
  }
}
