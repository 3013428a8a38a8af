package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  private static final Duration LONG = Duration.ofSeconds(10);

  private final Watchdog watchdog = new Watchdog();

  @AfterEach
  void close() {
    watchdog.close();
  }

  @Test
  void aRunPastItsDeadlineIsInterrupted() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    Thread guest = waiting(interrupted);
    Execution run = new Execution(guest, in(Duration.ofMillis(50)));

    assertTrue(watchdog.time(run));

    assertTrue(interrupted.await(LONG.toSeconds(), TimeUnit.SECONDS));
    assertEquals(Execution.State.TIMED_OUT, run.state());
  }

  @Test
  void aRunDueBeforeTheTimeTheWatchdogSleepsUntilWakesIt() throws InterruptedException {
    Execution later = new Execution(unstarted(), in(Duration.ofHours(1)));
    watchdog.time(later);
    awaitAsleepUntilDue();
    CountDownLatch interrupted = new CountDownLatch(1);
    Execution sooner = new Execution(waiting(interrupted), in(Duration.ofMillis(50)));

    watchdog.time(sooner);

    assertTrue(interrupted.await(LONG.toSeconds(), TimeUnit.SECONDS));
    assertEquals(Execution.State.TIMED_OUT, sooner.state());
    assertEquals(Execution.State.RUNNING, later.state());
  }

  @Test
  void runsThatEndInTimeDoNotWakeIt() throws InterruptedException {
    watchdog.time(new Execution(unstarted(), in(Duration.ofHours(1))));
    long before = awaitAsleepUntilDue();

    for (int i = 0; i < 1000; i++) {
      Execution run = new Execution(Thread.currentThread(), in(Duration.ofHours(2)));
      watchdog.time(run);
      watchdog.forget(run);
    }

    Thread.sleep(50);
    // A park may return for no reason, rarely, and every run that comes while the thread then
    // looks wakes it once more (it may have missed that run): a few looks, never one a run.
    assertTrue(watchdog.rounds() - before <= 20, "looks: " + (watchdog.rounds() - before));
    assertEquals(1, watchdog.running());
  }

  @Test
  void aRunSlowToStopIsNotLookedAtAgainAndAgain() throws InterruptedException {
    // A thread never started ignores its interrupt: the run stays timed, past its deadline.
    Execution run = new Execution(unstarted(), in(Duration.ofMillis(10)));
    watchdog.time(run);
    long deadline = System.nanoTime() + LONG.toNanos();
    while (run.state() == Execution.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(Execution.State.TIMED_OUT, run.state());
    long after = watchdog.rounds();

    Thread.sleep(100);

    assertTrue(watchdog.rounds() - after <= 2, "looks: " + (watchdog.rounds() - after));
  }

  @Test
  void interruptAllStopsEveryRun() {
    Execution one = new Execution(unstarted(), in(Duration.ofHours(1)));
    Execution two = new Execution(unstarted(), in(Duration.ofHours(1)));
    watchdog.time(one);
    watchdog.time(two);

    watchdog.interruptAll(Execution.State.STOPPED);

    assertEquals(Execution.State.STOPPED, one.state());
    assertEquals(Execution.State.STOPPED, two.state());
  }

  @Test
  void onceClosedItTimesNothing() {
    watchdog.close();

    assertFalse(watchdog.time(new Execution(unstarted(), in(Duration.ofHours(1)))));
    assertEquals(0, watchdog.running());
  }

  /** Waits until the watchdog has looked and gone back to sleep; returns its looks so far. */
  /**
   * Waits until the thread sleeps until its earliest deadline: on a busy machine it may have
   * counted its look and not yet gone to sleep, and runs timed meanwhile rightly wake it.
   */
  private long awaitAsleepUntilDue() throws InterruptedException {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (!watchdog.asleepUntilDue() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertTrue(watchdog.asleepUntilDue(), "the watchdog went to sleep until its run is due");
    return watchdog.rounds();
  }

  private static long in(Duration duration) {
    return System.nanoTime() + duration.toNanos();
  }

  private static Thread unstarted() {
    return new Thread(() -> {});
  }

  /** A started thread that waits until interrupted, then counts {@code interrupted} down. */
  private static Thread waiting(CountDownLatch interrupted) {
    Thread thread =
        new Thread(
            () -> {
              try {
                Thread.sleep(LONG.toMillis());
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
            });
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
