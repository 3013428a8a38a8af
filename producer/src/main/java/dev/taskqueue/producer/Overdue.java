package dev.taskqueue.producer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A task waiting in a queue's {@code scheduled} set past its time: only a scheduler or a reaper
 * moves it to {@code pending}, and a deployment running neither (or one whose have stopped) leaves
 * it there without a word. Both normally move a due task within a second; past {@link #GRACE} the
 * CLI says so where it shows the time.
 */
final class Overdue {
  /** How late a due task may be before it is called overdue: well past a busy scheduler's lag. */
  static final Duration GRACE = Duration.ofSeconds(10);

  private Overdue() {}

  /** How long past {@code due} it is at {@code now}, when that is past the grace. */
  static Optional<Duration> by(Instant due, Instant now) {
    Duration late = Duration.between(due, now);
    return late.compareTo(GRACE) > 0 ? Optional.of(late) : Optional.empty();
  }

  /** "due 45s ago: ...", for a task's time in {@code producer status}. */
  static Optional<String> note(Instant due, Instant now) {
    return by(due, now)
        .map(
            late ->
                "due "
                    + HistoryReport.took(due, now)
                    + " ago, and no scheduler or reaper has moved it to pending: check that one"
                    + " runs");
  }

  /** The line {@code producer queues} and {@code stats} print under their table for a queue. */
  static Optional<String> queueNote(String queue, Instant due, Instant now) {
    return by(due, now)
        .map(
            late ->
                "queue "
                    + queue
                    + ": a task in scheduled has been due for "
                    + HistoryReport.took(due, now)
                    + ", and no scheduler or reaper has moved it to pending: check that one runs"
                    + " (bin/scheduler, bin/reaper)\n");
  }
}
