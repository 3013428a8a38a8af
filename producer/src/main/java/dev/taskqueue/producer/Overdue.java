package dev.taskqueue.producer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A task waiting in a queue's {@code scheduled} set past its time: only a scheduler or a reaper
 * moves it to {@code pending}, and a deployment that runs neither, or whose have all stopped,
 * leaves it there without a word. Either normally moves a due task within a second; past {@link
 * #GRACE} the CLI says so where it shows the time.
 */
final class Overdue {
  /** How late a due task may be before it is called overdue: well past a busy scheduler's lag. */
  static final Duration GRACE = Duration.ofSeconds(10);

  /** What both notes say of the task. */
  private static final String NOT_MOVED =
      "no scheduler or reaper has moved it to pending: check that one runs";

  private Overdue() {}

  /** "due 45s ago, and ...", for a task's run-at time in {@code producer status}. */
  static Optional<String> note(Instant due, Instant now) {
    return overdue(due, now)
        ? Optional.of("due " + HistoryReport.took(due, now) + " ago, and " + NOT_MOVED)
        : Optional.empty();
  }

  /** The line {@code producer queues} and {@code stats} print under their table for a queue. */
  static Optional<String> queueNote(String queue, Instant due, Instant now) {
    return overdue(due, now)
        ? Optional.of(
            "queue "
                + queue
                + ": a task in scheduled has been due for "
                + HistoryReport.took(due, now)
                + ", and "
                + NOT_MOVED
                + " (bin/scheduler, bin/reaper)\n")
        : Optional.empty();
  }

  private static boolean overdue(Instant due, Instant now) {
    return Duration.between(due, now).compareTo(GRACE) > 0;
  }
}
