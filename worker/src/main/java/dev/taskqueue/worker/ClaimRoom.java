package dev.taskqueue.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * How many tasks the worker may claim now. A task is held from its claim until its run ends; the
 * worker holds at most one per slot, plus a backlog of tasks claimed ahead of the slots: as many as
 * its slots got through in the last {@link #AHEAD} at the rate they have been going, and at most
 * {@link #AHEAD_PER_SLOT} per slot or {@link #LEAST_MOST_AHEAD}, whichever is more. Duties:
 *
 * <ul>
 *   <li>keep the slots busy through a claim's round trip: under load the next claim leaves while
 *       the last one's tasks still run, and carries more tasks than there are slots, so a worker
 *       whose claims wait behind other clients' scripts in Redis still gets through its tasks
 *       (docs/benchmarks-journal.md, "Claiming ahead of the slots");
 *   <li>never keep tasks from other workers for long: a task claimed ahead waits for a slot about
 *       {@link #AHEAD} at the slots' pace, and slow tasks (a few a second) get no backlog at all,
 *       so a worker busy with long tasks claims only for its free slots;
 *   <li>wake the dispatcher when room comes free, and only while it waits for room.
 * </ul>
 *
 * <p>The rate is measured by the dispatcher's own calls ({@link #take}), smoothed over about {@link
 * #RATE_WINDOW}. Thread-safe: the dispatcher takes room, slots give it back.
 */
final class ClaimRoom {
  /** How long the backlog of tasks claimed ahead of the slots lasts at the slots' pace. */
  static final Duration AHEAD = Duration.ofMillis(20);

  /**
   * The most tasks claimed ahead of the slots, per slot: a bound for when the pace misleads, set
   * above what {@link #AHEAD} asks of slots that run no-op tasks (about 600 for 50 slots at 30,000
   * a second), so that it is {@link #AHEAD} that sizes the backlog. At three, the bound of a worker
   * that went 11,000 a second, it had come to hold every claim of a drain to 150 ahead
   * (docs/benchmarks-journal.md, "A backlog that lasts 20 ms again").
   */
  static final int AHEAD_PER_SLOT = 12;

  /**
   * The most tasks claimed ahead however few the slots: what {@link #AHEAD} asks at 30,000 no-op
   * tasks a second. Short tasks go at the pace of the worker's cores, not of its slots: a worker
   * with four (the default) drains as fast as one with fifty, and at twelve a slot its backlog was
   * held to 48 tasks, 2 ms of its work, so that a fresh drain's claims carried a few dozen tasks
   * each and its slots waited for every round trip.
   */
  static final int LEAST_MOST_AHEAD = 600;

  /** Over about how long the slots' pace is averaged. */
  static final Duration RATE_WINDOW = Duration.ofMillis(100);

  /** The shortest time over which the pace is measured again: shorter would only be noise. */
  private static final long MEASURE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final int slots;
  private final int mostAhead;
  private final LongSupplier nanoTime;

  // Everything below is guarded by lock.
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private int held;
  private int limit;
  private boolean waiting;
  private long endedSince;
  private long measuredAt;

  /** Tasks a nanosecond that the slots got through, smoothed. */
  private double rate;

  ClaimRoom(int slots, LongSupplier nanoTime) {
    if (slots < 1) {
      throw new IllegalArgumentException("claim room needs slots >= 1");
    }
    this.slots = slots;
    this.mostAhead = Math.max(AHEAD_PER_SLOT * slots, LEAST_MOST_AHEAD);
    this.nanoTime = nanoTime;
    this.limit = slots;
    this.measuredAt = nanoTime.getAsLong();
  }

  /** The most tasks the worker may hold at once: its slots and the largest backlog. */
  int most() {
    return slots + mostAhead;
  }

  /**
   * Takes room for at least {@code atLeast} tasks, and all there is, waiting at most {@code wait}
   * for that much to come free; when it does not in time, takes what there is then.
   *
   * @return how many tasks may be claimed, to be given back with {@link #ended} as each run ends or
   *     with {@link #giveBack} for any not claimed; 0 when no room came free in time
   */
  int take(int atLeast, Duration wait) throws InterruptedException {
    long waitNanos = wait.toNanos();
    long deadline = nanoTime.getAsLong() + waitNanos;
    lock.lock();
    try {
      measure();
      waiting = true;
      try {
        for (long left = waitNanos; limit - held < atLeast && left > 0; ) {
          freed.awaitNanos(left);
          left = deadline - nanoTime.getAsLong();
        }
      } finally {
        waiting = false;
      }
      int room = Math.max(0, limit - held);
      held += room;
      return room;
    } finally {
      lock.unlock();
    }
  }

  /** Gives back room taken for tasks that were not claimed. */
  void giveBack(int count) {
    lock.lock();
    try {
      held -= count;
      signalIfRoom();
    } finally {
      lock.unlock();
    }
  }

  /** A claimed task's run has ended: its room is free again, and it counts towards the pace. */
  void ended() {
    lock.lock();
    try {
      held--;
      endedSince++;
      signalIfRoom();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether room for {@code count} more tasks is likely to come free within {@code wait}, at the
   * pace the slots have been going: never while no pace is known, so slow tasks are not waited for.
   */
  boolean comesFreeWithin(int count, Duration wait) {
    lock.lock();
    try {
      measure();
      return rate > 0 && count <= rate * wait.toNanos();
    } finally {
      lock.unlock();
    }
  }

  /** Tasks held now: claimed (or about to be) and not done running. */
  int held() {
    lock.lock();
    try {
      return held;
    } finally {
      lock.unlock();
    }
  }

  private void signalIfRoom() {
    if (waiting && held < limit) {
      freed.signal();
    }
  }

  /** Updates the slots' pace and from it the limit. Called with the lock held. */
  private void measure() {
    long now = nanoTime.getAsLong();
    long elapsed = now - measuredAt;
    if (elapsed < MEASURE_EVERY_NANOS) {
      return;
    }
    double recent = (double) endedSince / elapsed;
    double weight = Math.min(1.0, (double) elapsed / RATE_WINDOW.toNanos());
    rate += weight * (recent - rate);
    endedSince = 0;
    measuredAt = now;
    limit = slots + (int) Math.min(mostAhead, rate * AHEAD.toNanos());
  }
}
