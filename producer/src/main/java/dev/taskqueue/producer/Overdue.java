package dev.taskqueue.producer;

import java.time.Duration;
import java.time.Instant;

/**
 * A task waiting in a queue's {@code scheduled} set past its time: only a scheduler or a reaper
 * moves it to {@code pending}, and a deployment that runs neither, or whose have all stopped,
 * leaves it there without a word. Either normally moves a due task within a second; past {@link
 * #GRACE} the CLI says so where it shows the time.
 */
final class Overdue {
  /** How late a due task may be before it is called overdue: well past a busy scheduler's lag. */
  static final Duration GRACE = Duration.ofSeconds(10);

  private Overdue() {}

  /** Whether a task due at {@code due} is overdue at {@code now}: past the grace. */
  static boolean overdue(Instant due, Instant now) {
    return Duration.between(due, now).compareTo(GRACE) > 0;
  }

  /** "due 45s ago, and ...", for an overdue task's run-at time in {@code producer status}. */
  static String note(Instant due, Instant now, Movers movers) {
    return "due " + HistoryReport.took(due, now) + " ago, and " + why(movers);
  }

  /** The line {@code producer queues} and {@code stats} print under their table for a queue. */
  static String queueNote(String queue, Instant due, Instant now, Movers movers) {
    return "queue "
        + queue
        + ": a task in scheduled has been due for "
        + HistoryReport.took(due, now)
        + ", and "
        + why(movers)
        + "\n";
  }

  /** What the notes say of the task: that none runs to move it, or that those that run have not. */
  private static String why(Movers movers) {
    return movers.none()
        ? "no scheduler or reaper runs to move it to pending: start bin/scheduler or bin/reaper"
        : "no scheduler or reaper has moved it to pending, though "
            + movers.counted()
            + " run: check their logs";
  }
}
