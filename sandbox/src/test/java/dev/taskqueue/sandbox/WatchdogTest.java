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
    awaitSettled();
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
    long before = awaitSettled();

    for (int i = 0; i < 1000; i++) {
      Execution run = new Execution(Thread.currentThread(), in(Duration.ofHours(2)));
      watchdog.time(run);
      watchdog.forget(run);
    }

    Thread.sleep(50);
    // A park may return for no reason, rarely; a thousand wake-ups would be a thousand looks.
    assertTrue(watchdog.rounds() - before <= 2, "looks: " + (watchdog.rounds() - before));
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
  private long awaitSettled() throws InterruptedException {
    long rounds = -1;
    while (rounds != watchdog.rounds()) {
      rounds = watchdog.rounds();
      Thread.sleep(20);
    }
    return rounds;
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
