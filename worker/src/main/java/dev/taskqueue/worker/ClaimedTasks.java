package dev.taskqueue.worker;

import dev.taskqueue.lease.Claimed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Claimed tasks on their way to a slot. Each one's lease is held from the moment it is handed over,
 * so the heartbeat renews it while it waits too; a slot then runs it and frees its room, unless it
 * waited longer than {@link #MOST_SLOT_WAIT}, when it goes back to its queue instead. A claimed
 * task is always run, failed or released, never dropped.
 */
final class ClaimedTasks {
  /**
   * The longest a claimed task waits for a slot before it goes back to its queue: far longer than
   * the backlog claimed ahead of the slots lasts at their pace ({@link ClaimRoom#AHEAD}). Checked
   * when a slot takes it, and every {@link Dispatcher#IDLE_WAIT} while the worker has no room to
   * claim.
   */
  static final Duration MOST_SLOT_WAIT = Duration.ofSeconds(1);

  private final TaskRunner runner;
  private final Slots slots;
  private final HeldLeases held;
  private final ClaimRoom room;

  ClaimedTasks(TaskRunner runner, Slots slots, HeldLeases held, ClaimRoom room) {
    this.runner = runner;
    this.slots = slots;
    this.held = held;
    this.room = room;
  }

  /** Hands each claimed task to a slot, to run now or as soon as one is free. */
  void start(List<Claimed> claimed) {
    if (!claimed.isEmpty()) {
      slots.execute(runs(claimed));
    }
  }

  /**
   * Hands each claimed task to a slot free now, from a thread that must not wait for one (the
   * client's event loop).
   *
   * @return those no slot took: for {@link #startLeft} from a thread that may wait
   */
  List<Runnable> offer(List<Claimed> claimed) {
    return claimed.isEmpty() ? List.of() : slots.offer(runs(claimed));
  }

  /** Hands over what {@link #offer} left. */
  void startLeft(List<Runnable> left) {
    if (!left.isEmpty()) {
      slots.execute(left);
    }
  }

  /**
   * Releases the tasks that have waited for a slot longer than {@link #MOST_SLOT_WAIT}: long tasks
   * have taken every slot since they were claimed ahead, so they go back to their queue for any
   * worker, before their time (which runs from the claim) is spent waiting here.
   */
  void releaseStranded() {
    long now = System.nanoTime();
    for (Runnable stranded :
        slots.removeWaiting(run -> run instanceof Run r && r.waitedTooLong(now))) {
      release((Run) stranded, now);
    }
  }

  /** Each claimed task's run, its lease held from now on. */
  private List<Runnable> runs(List<Claimed> claimed) {
    long handedAt = System.nanoTime();
    List<Runnable> runs = new ArrayList<>(claimed.size());
    for (Claimed task : claimed) {
      held.hold(task.lease());
      runs.add(new Run(task, handedAt));
    }
    return runs;
  }

  /** Releases a task that waited too long for a slot; its room comes back, its pace does not. */
  private void release(Run run, long now) {
    try {
      runner.release(run.task, Duration.ofNanos(now - run.handedAt));
    } finally {
      room.giveBack(1);
    }
  }

  /** A claimed task handed to the slots at {@code handedAt} ({@link System#nanoTime}). */
  private final class Run implements Runnable {
    final Claimed task;
    final long handedAt;

    Run(Claimed task, long handedAt) {
      this.task = task;
      this.handedAt = handedAt;
    }

    /**
     * Runs the task and frees its slot's room, or releases it as {@link #releaseStranded} would.
     */
    @Override
    public void run() {
      long now = System.nanoTime();
      if (waitedTooLong(now)) {
        release(this, now);
        return;
      }
      try {
        runner.run(task);
      } finally {
        room.ended();
      }
    }

    boolean waitedTooLong(long now) {
      return now - handedAt > MOST_SLOT_WAIT.toNanos();
    }
  }
}
