package dev.taskqueue.producer;

import java.util.Set;

/**
 * What an empty listing of one queue adds when no task was ever submitted to that queue: most
 * likely a misspelt name, which would otherwise read as an empty queue. {@code producer pause} and
 * {@code resume} refuse such a name; a listing only says so, since a queue not used yet is empty.
 */
final class KnownQueues {
  private KnownQueues() {}

  /**
   * " in queue Q" and the note for it, for the line that says Q had nothing; empty when no queue
   * was named ({@code queue} null: every queue).
   */
  static String where(TaskClient client, String queue) {
    return queue == null ? "" : " in queue " + queue + noteFor(client, queue);
  }

  /** The note for {@code queue}: empty when it exists, else the queues there are. */
  static String noteFor(TaskClient client, String queue) {
    Set<String> known = client.queues();
    if (known.contains(queue)) {
      return "";
    }
    return known.isEmpty()
        ? " (no task was submitted yet, to any queue)"
        : " (no task was ever submitted to it: the queues are " + String.join(", ", known) + ")";
  }
}
