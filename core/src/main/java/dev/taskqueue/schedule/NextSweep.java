package dev.taskqueue.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * When the scheduler's loop sweeps next: at the time its last sweep planned, or at a due time a
 * script published on the schedulers' channel when that is sooner. Duties:
 *
 * <ul>
 *   <li>a due time published while the loop waits, sooner than planned, becomes the end of the
 *       wait: the loop sweeps once, when the task (or retry) is due, rather than at once to learn
 *       when;
 *   <li>a due time published while a sweep runs counts only if it is sooner than what that sweep
 *       plans: the sweep may have read the queues before the task was added, but a task due later
 *       is seen by the sweep it planned anyway. Each such publish woke the loop again at once
 *       before: through one {@code bench scheduled} run the loop swept 4,106 times then, 1,802 now
 *       (docs/benchmarks-journal.md);
 *   <li>a message that is not a time ends the wait at once;
 *   <li>once stopped, no wait lasts.
 * </ul>
 *
 * <p>The loop sweeps, then calls {@link #awaitNext}, and so on; {@link #published} is called from
 * the client's thread at any moment.
 */
final class NextSweep {
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // Guarded by lock.
  private boolean waiting;
  private Instant wakeAt = Instant.MAX;
  private long wakeAtNanos; // System.nanoTime() at wakeAt, while waiting
  private Instant publishedInSweep = Instant.MAX;
  private boolean stopped;

  NextSweep(Clock clock) {
    this.clock = clock;
  }

  /** A script published {@code message}, the due time (ms since the epoch) it scheduled. */
  void published(String message) {
    Instant due;
    try {
      due = Instant.ofEpochMilli(Long.parseLong(message));
    } catch (NumberFormatException e) {
      due = Instant.EPOCH; // long past: sweep at once
    }
    lock.lock();
    try {
      if (!waiting) {
        publishedInSweep = earliest(publishedInSweep, due);
      } else if (due.isBefore(wakeAt)) {
        wakeAt(due);
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code planned}, what the sweep that just ended planned, or until a sooner due time
   * published since that sweep began; the next sweep begins as this returns.
   */
  void awaitNext(Instant planned) throws InterruptedException {
    lock.lock();
    try {
      waiting = true;
      wakeAt(earliest(planned, publishedInSweep));
      for (long left = wakeAtNanos - System.nanoTime();
          !stopped && left > 0;
          left = wakeAtNanos - System.nanoTime()) {
        changed.awaitNanos(left);
      }
    } finally {
      waiting = false;
      publishedInSweep = Instant.MAX;
      lock.unlock();
    }
  }

  /** Ends the wait under way, and any after. */
  void stop() {
    lock.lock();
    try {
      stopped = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Wakes at {@code at}, measured from now on the monotonic clock, as a sleep of that long would: a
   * wall clock set back meanwhile (NTP) does not prolong the wait.
   */
  private void wakeAt(Instant at) {
    wakeAt = at;
    Duration left = Duration.between(clock.instant(), at);
    wakeAtNanos = System.nanoTime() + (left.isNegative() ? 0 : left.toNanos());
  }

  private static Instant earliest(Instant a, Instant b) {
    return b.isBefore(a) ? b : a;
  }
}
