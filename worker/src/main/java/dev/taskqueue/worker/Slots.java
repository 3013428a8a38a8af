package dev.taskqueue.worker;

import dev.taskqueue.logging.LogFields;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's slots: up to {@code size} tasks run at once, each on a thread of its own, without a
 * thread woken for every task. Duties:
 *
 * <ul>
 *   <li>run every task handed over, each once; those waiting for a thread start in the order they
 *       were handed over;
 *   <li>keep as many threads taking tasks as the machine has cores ({@code active}): a thread that
 *       ends a task takes the next one waiting without sleeping in between, and no thread is woken
 *       for a task a thread already awake will reach. A fixed pool wakes a sleeping thread for
 *       every task and puts it back to sleep after; on two cores that cost the worker more CPU than
 *       its no-op tasks did (docs/benchmarks-journal.md, "Slots that sleep less");
 *   <li>never let a long task hold up the ones waiting behind it: while tasks wait and fewer than
 *       {@code active} slots are getting through them (the others have been running one task for
 *       longer than {@code stuckAfter}), another slot takes the next, up to {@code size} running at
 *       once. One idle slot, the watcher, looks every {@code stuckAfter} while tasks wait, so a
 *       task waits at most about twice that behind long ones;
 *   <li>once shut down, take no new task, run the ones handed over, and let the threads end.
 * </ul>
 *
 * <p>Threads start as they are first needed, at most {@code size}, and are then kept. A thread that
 * cannot start (the process is out of native threads) is logged and tried again no sooner than
 * {@link #START_RETRY} later; meanwhile the slots already running take the tasks waiting, and when
 * there are none, the caller runs them itself, as a thread pool's caller-runs policy does.
 */
final class Slots {
  private static final Logger LOG = LoggerFactory.getLogger(Slots.class);

  /** After a slot's thread failed to start, how long until another is tried. */
  static final Duration START_RETRY = Duration.ofSeconds(1);

  private final int size;
  private final int active;
  private final long stuckAfterNanos;
  private final LongSupplier nanoTime;
  private final ThreadFactory threads;

  // Everything below is guarded by lock.
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ended = lock.newCondition();
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  private final Slot[] slots;

  /** Idle slots, the last to go idle first: woken first, its thread the likeliest still warm. */
  private final ArrayDeque<Slot> idle = new ArrayDeque<>();

  private Slot watcher;
  private int started;
  private int live;

  /** Slots neither idle nor watching: running a task, or looking for one. */
  private int awake;

  /** Slots running a task. */
  private int running;

  private boolean shutdown;

  /** {@code nanoTime} when a slot's thread last failed to start; valid while startFailed. */
  private long startFailedAt;

  private boolean startFailed;

  /**
   * Slots for {@code size} tasks at once, {@code active} of them taking tasks while none is stuck,
   * i.e. running one task for longer than {@code stuckAfter}. {@code nanoTime} is the clock that
   * says how long a task has run ({@link System#nanoTime} but in tests).
   */
  Slots(int size, int active, Duration stuckAfter, LongSupplier nanoTime, ThreadFactory threads) {
    if (size < 1 || active < 1) {
      throw new IllegalArgumentException("slots need size >= 1 and active >= 1");
    }
    this.size = size;
    this.active = Math.min(active, size);
    this.stuckAfterNanos = stuckAfter.toNanos();
    this.nanoTime = nanoTime;
    this.threads = threads;
    this.slots = new Slot[size];
  }

  /**
   * Hands over tasks, in order: each starts now when a slot is free to take it, else once one is
   * (or once the watcher finds the running ones stuck). Does not wait for them, except when no slot
   * has a thread and none could start: then it runs them itself. All at once, so that a claim's
   * tasks take the lock the slots share once, not once each.
   *
   * @throws RejectedExecutionException after {@link #shutdown}
   */
  void execute(Collection<? extends Runnable> tasks) {
    offer(tasks).forEach(Slots::run);
  }

  /**
   * Like {@link #execute(Collection)}, for a caller that must not block (the client's event loop):
   * the tasks no slot can run, when no slot has a thread and none could start, are returned for the
   * caller to hand over again from a thread that may run them, rather than run here.
   *
   * @return the tasks left to the caller, in order; empty but in that case
   */
  List<Runnable> offer(Collection<? extends Runnable> tasks) {
    lock.lock();
    try {
      if (shutdown) {
        throw new RejectedExecutionException("the worker is stopping: its slots take no new task");
      }
      ready.addAll(tasks);
      wakeIfNeeded();
      if (live > 0) {
        return List.of();
      }
      // No slot has a thread and none could start: nobody else would run them.
      List<Runnable> left = new ArrayList<>(ready);
      ready.clear();
      return left;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes back the tasks handed over that no slot has started yet and that {@code which} picks, in
   * the order they were handed over: for the caller to deal with instead.
   */
  List<Runnable> removeWaiting(Predicate<Runnable> which) {
    lock.lock();
    try {
      List<Runnable> removed = new ArrayList<>();
      for (Iterator<Runnable> it = ready.iterator(); it.hasNext(); ) {
        Runnable task = it.next();
        if (which.test(task)) {
          it.remove();
          removed.add(task);
        }
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  /** Hands over one task; see {@link #execute(Collection)}. */
  void execute(Runnable task) {
    execute(List.of(task));
  }

  /** Takes no new task; the ones handed over still run, then the threads end. */
  void shutdown() {
    lock.lock();
    try {
      shutdown = true;
      wakeAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until shut down with every task run and every thread ended, or until the timeout. */
  boolean awaitTermination(Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (!shutdown || live > 0) {
        if (left <= 0) {
          return false;
        }
        left = ended.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Wakes a slot when tasks wait and nobody will see to them: no slot is looking for a task
   * already, and fewer than {@code active} run one or none watches. One at a time: the slot woken
   * wakes the next if it is still needed, so a burst of tasks wakes {@code active} slots and a
   * watcher, not a slot per task.
   */
  private void wakeIfNeeded() {
    if (!ready.isEmpty() && awake == running && (running < active || watcher == null)) {
      wakeOne();
    }
  }

  /** Sets an idle slot looking (the one idle the shortest time), or starts one if none is idle. */
  private void wakeOne() {
    Slot slot = idle.pollFirst();
    if (slot != null) {
      slot.woken = true;
      awake++;
      slot.wake.signal();
    } else if (started < size && mayStart()) {
      slot = new Slot();
      try {
        // Its thread waits for the lock held here, so the counts are right before it looks.
        threads.newThread(slot).start();
      } catch (RuntimeException | OutOfMemoryError e) {
        startFailed = true;
        startFailedAt = nanoTime.getAsLong();
        LOG.atError()
            .addKeyValue(LogFields.EVENT, "worker.slot_not_started")
            .setCause(e)
            .log(
                "could not start a thread for slot {} of {}; the {} running take the waiting"
                    + " tasks, and another start is tried in {} ms",
                started + 1,
                size,
                started,
                START_RETRY.toMillis());
        return;
      }
      slots[started++] = slot;
      live++;
      awake++;
    }
  }

  /** Whether to try starting a thread: none failed to start within {@link #START_RETRY}. */
  private boolean mayStart() {
    return !startFailed || nanoTime.getAsLong() - startFailedAt >= START_RETRY.toNanos();
  }

  /** Sets every idle slot and the watcher looking: to take what is left, or to end. */
  private void wakeAll() {
    while (!idle.isEmpty()) {
      wakeOne();
    }
    if (watcher != null) {
      watcher.woken = true;
      watcher.wake.signal();
    }
  }

  /** A slot's thread: takes tasks and runs them until shut down with nothing left to run. */
  private void serve(Slot slot) {
    lock.lock();
    try {
      for (Runnable task = next(slot); task != null; task = next(slot)) {
        lock.unlock();
        try {
          // As in a thread pool: an interrupt one task left set must not reach the next (the
          // sandbox clears its own when a run ends; this is for anything else).
          Thread.interrupted();
          run(task);
        } finally {
          lock.lock();
          slot.running = false;
          running--;
        }
      }
      live--;
      ended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Runs one task; what it throws is a bug, logged, and the thread goes on. */
  private static void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      LOG.atError()
          .addKeyValue(LogFields.EVENT, "worker.slot_error")
          .setCause(e)
          .log("bug: a task escaped its slot's handling; the slot goes on");
    }
  }

  /**
   * The next task for {@code slot}, a looking slot, waiting as long as it takes; null once shut
   * down with nothing left. Called with the lock held.
   */
  private Runnable next(Slot slot) {
    while (true) {
      if (!ready.isEmpty() && (running < active || progressing() < active)) {
        slot.running = true;
        slot.startedAt = nanoTime.getAsLong();
        running++;
        Runnable task = ready.pollFirst();
        if (ready.isEmpty() && shutdown) {
          wakeAll();
        } else {
          wakeIfNeeded();
        }
        return task;
      }
      awake--;
      if (ready.isEmpty() && shutdown) {
        return null;
      }
      if (!ready.isEmpty() && watcher == null) {
        watch(slot);
      } else {
        sleep(slot);
      }
    }
  }

  /**
   * Waits {@code stuckAfter} as the watcher (less if woken by {@link #wakeAll}), then looks again.
   */
  private void watch(Slot slot) {
    watcher = slot;
    slot.woken = false;
    for (long left = stuckAfterNanos; left > 0 && !slot.woken; ) {
      try {
        left = slot.wake.awaitNanos(left);
      } catch (InterruptedException e) {
        // Nobody interrupts an idle slot on purpose: a late interrupt meant for its last guest.
      }
    }
    watcher = null;
    awake++;
  }

  /** Waits idle until {@link #wakeOne} sets it looking. */
  private void sleep(Slot slot) {
    slot.woken = false;
    idle.addFirst(slot);
    while (!slot.woken) {
      slot.wake.awaitUninterruptibly();
    }
  }

  /** Slots running a task that started less than {@code stuckAfter} ago. */
  private int progressing() {
    long now = nanoTime.getAsLong();
    int progressing = 0;
    for (int i = 0; i < started; i++) {
      if (slots[i].running && now - slots[i].startedAt < stuckAfterNanos) {
        progressing++;
      }
    }
    return progressing;
  }

  private final class Slot implements Runnable {
    final Condition wake = lock.newCondition();
    boolean woken;
    boolean running;
    long startedAt;

    @Override
    public void run() {
      serve(this);
    }
  }
}
