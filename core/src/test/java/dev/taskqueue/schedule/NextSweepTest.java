package dev.taskqueue.schedule;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.taskqueue.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When the scheduler's loop sweeps next, on the real clock. */
class NextSweepTest {
  /** Far longer than any wait a test expects to end. */
  private static final Duration LONG = Duration.ofSeconds(30);

  private final NextSweep next = new NextSweep(Clock.systemUTC());

  @Test
  void aDueTimePublishedWhileWaitingSoonerThanPlannedEndsTheWaitThenNotBefore() throws Exception {
    CompletableFuture<Instant> ended = awaitNext(Instant.now().plus(LONG));
    Thread.sleep(50); // waiting
    Instant due = Instant.now().plusMillis(300);

    next.published(Long.toString(due.toEpochMilli()));

    Instant at = ended.get(10, TimeUnit.SECONDS);
    assertFalse(at.isBefore(due.truncatedTo(ChronoUnit.MILLIS)), "at " + at);
  }

  @Test
  void aDueTimePublishedWhileWaitingLaterThanPlannedChangesNothing() throws Exception {
    Instant planned = Instant.now().plusMillis(300);
    CompletableFuture<Instant> ended = awaitNext(planned);
    Thread.sleep(50);

    next.published(Long.toString(Instant.now().plus(LONG).toEpochMilli()));

    assertFalse(ended.get(10, TimeUnit.SECONDS).isBefore(planned));
  }

  /**
   * A sweep may have read the queues before a task published meanwhile was added: one due sooner
   * than that sweep plans ends the wait then; one due later does not end it before the plan, and is
   * forgotten once a wait ends.
   */
  @Test
  void aDueTimePublishedDuringASweepCountsOnlyIfSoonerThanItsPlan() throws Exception {
    Instant planned = Instant.now().plusMillis(300);
    next.published(Long.toString(Instant.now().plus(LONG).toEpochMilli()));
    assertFalse(awaitNext(planned).get(10, TimeUnit.SECONDS).isBefore(planned), "later: no sooner");

    Instant due = Instant.now().plusMillis(200);
    next.published(Long.toString(due.toEpochMilli()));
    Instant at = awaitNext(Instant.now().plus(LONG)).get(10, TimeUnit.SECONDS);
    assertFalse(at.isBefore(due.truncatedTo(ChronoUnit.MILLIS)), "at " + at);

    planned = Instant.now().plusMillis(300);
    assertFalse(awaitNext(planned).get(10, TimeUnit.SECONDS).isBefore(planned), "forgotten");
  }

  /** The wait is measured as a sleep: a wall clock set back meanwhile (NTP) does not prolong it. */
  @Test
  void aWallClockSetBackDoesNotProlongTheWait() throws Exception {
    MutableClock wall = MutableClock.atFixedStart();
    CompletableFuture<Instant> ended =
        awaitNext(new NextSweep(wall), wall.instant().plusMillis(300));
    Thread.sleep(50);

    wall.set(wall.instant().minus(Duration.ofHours(1)));

    ended.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMessageThatIsNoTimeEndsTheWaitAtOnce() throws Exception {
    CompletableFuture<Instant> ended = awaitNext(Instant.now().plus(LONG));
    Thread.sleep(50);

    next.published("soon");

    ended.get(10, TimeUnit.SECONDS);
  }

  @Test
  void stopEndsTheWaitUnderWayAndAnyAfter() throws Exception {
    CompletableFuture<Instant> ended = awaitNext(Instant.now().plus(LONG));
    Thread.sleep(50);

    next.stop();

    ended.get(10, TimeUnit.SECONDS);
    awaitNext(Instant.now().plus(LONG)).get(10, TimeUnit.SECONDS); // at once
  }

  /** {@link NextSweep#awaitNext} on a thread of its own; completes with when it returned. */
  private CompletableFuture<Instant> awaitNext(Instant planned) {
    return awaitNext(next, planned);
  }

  private static CompletableFuture<Instant> awaitNext(NextSweep next, Instant planned) {
    CompletableFuture<Instant> ended = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                next.awaitNext(planned);
                ended.complete(Instant.now());
              } catch (InterruptedException e) {
                ended.completeExceptionally(e);
              }
            });
    waiter.setDaemon(true);
    waiter.start();
    return ended;
  }
}
