package dev.taskqueue.sandbox;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The runs in progress, and the one thread that times them out. Duties:
 *
 * <ul>
 *   <li>interrupt a run ({@link Execution.State#TIMED_OUT}) once {@link System#nanoTime} passes its
 *       deadline;
 *   <li>interrupt every run at once when the worker stops ({@link #interruptAll});
 *   <li>cost a run almost nothing when it ends in time, which is nearly always: the thread sleeps
 *       until the earliest deadline it knows of, and a run is woken for only when it is due before
 *       that. A scheduled executor, one alarm set and cancelled per run, woke its thread for most
 *       runs, and its queue's lock and heap took 5% of a busy worker's CPU
 *       (docs/benchmarks-journal.md, "Slots that sleep less").
 * </ul>
 */
final class Watchdog implements AutoCloseable {
  private final Set<Execution> running = ConcurrentHashMap.newKeySet();
  private final Thread thread;

  /**
   * Whether the thread sleeps until {@link #wakeAt}. While false (it is looking at the runs, or
   * sleeps with none to time), every new run wakes it.
   */
  private volatile boolean sleepsUntil;

  private volatile long wakeAt;
  private volatile boolean closed;

  /** How many times the thread has looked at the runs; for tests. */
  private final AtomicLong rounds = new AtomicLong();

  Watchdog() {
    this.thread = new Thread(this::watch, "sandbox-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Times {@code execution} from now until {@link #forget}.
   *
   * @return false when closed: nothing times the run, so it must not start
   */
  boolean time(Execution execution) {
    running.add(execution);
    if (closed) {
      running.remove(execution);
      return false;
    }
    // Read after the add: either the thread's next look finds this run, or it sleeps until a
    // time no later than this deadline and finds it then, or it is woken here.
    if (!sleepsUntil || execution.deadline() - wakeAt < 0) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /** The run has ended: no longer timed. */
  void forget(Execution execution) {
    running.remove(execution);
  }

  /** Interrupts every run in progress with {@code reason}. */
  void interruptAll(Execution.State reason) {
    for (Execution execution : running) {
      execution.interrupt(reason);
    }
  }

  /** Runs in progress; for tests. */
  int running() {
    return running.size();
  }

  /** How many times the thread has looked at the runs; for tests. */
  long rounds() {
    return rounds.get();
  }

  /**
   * Whether the thread sleeps until the earliest deadline it knows of, so that only a run due
   * sooner wakes it; for tests.
   */
  boolean asleepUntilDue() {
    return sleepsUntil && thread.getState() == Thread.State.TIMED_WAITING;
  }

  private void watch() {
    while (!closed) {
      sleepsUntil = false;
      rounds.incrementAndGet();
      long now = System.nanoTime();
      long earliest = 0;
      boolean any = false;
      for (Execution execution : running) {
        long deadline = execution.deadline();
        if (deadline - now <= 0) {
          // Interrupted now or before: no longer counted, so a run slow to stop is not a reason
          // to look again and again.
          execution.interrupt(Execution.State.TIMED_OUT);
        } else if (!any || deadline - earliest < 0) {
          earliest = deadline;
          any = true;
        }
      }
      if (any) {
        wakeAt = earliest;
        sleepsUntil = true;
        LockSupport.parkNanos(this, earliest - now);
      } else {
        LockSupport.park(this);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }
}
