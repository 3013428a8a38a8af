package dev.taskqueue.schedule;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.queue.QueueHeads;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisOutage;
import dev.taskqueue.redis.RedisSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's one loop, run by {@code bin/scheduler} and by {@code bin/worker
 * --with-scheduler}. Each sweep, for every queue, it promotes the due scheduled tasks and retries
 * ({@link DuePromoter}) and fires the due cron schedules ({@link ScheduleFirer}); then it sleeps
 * until the earliest next due time it saw, at most {@code maxSleep}. A task scheduled earlier than
 * that wakes it when it is due: the scripts that schedule something publish its due time on the
 * schedulers' channel ({@link NextSweep}). So an idle scheduler is late by milliseconds, not by a
 * polling period. Any number may run at once: every script checks again what was read.
 */
public final class SchedulerLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoop.class);
  private static final int BATCH = 500;

  private final RedisSession session;
  private final Clock clock;
  private final Duration maxSleep;
  private final DuePromoter promoter;
  private final ScheduleFirer firer;
  private final NextSweep nextSweep;
  private final QueueHeads heads;
  private volatile boolean running = true;

  public SchedulerLoop(RedisSession session, Clock clock, Duration maxSleep) {
    this(session, clock, maxSleep, SchedulerMetrics.unregistered());
  }

  /** A scheduler counting what it promotes and fires in {@code metrics}. */
  public SchedulerLoop(
      RedisSession session, Clock clock, Duration maxSleep, SchedulerMetrics metrics) {
    this.session = session;
    this.clock = clock;
    this.maxSleep = maxSleep;
    this.promoter = new DuePromoter(session.redis(), session.keys(), clock, metrics);
    this.firer = new ScheduleFirer(session.redis(), session.keys(), clock, metrics);
    this.nextSweep = new NextSweep(clock);
    this.heads =
        new QueueHeads(session.redis(), session.keys(), Keys::scheduled, Keys::schedules, BATCH);
  }

  /** Asks the loop to end; it does within moments. */
  public void stop() {
    running = false;
    nextSweep.stop();
  }

  @Override
  public void run() {
    AutoCloseable subscription = subscribe();
    RedisOutage outage = new RedisOutage(LOG, "scheduler", "sweep", clock);
    try {
      while (running) {
        Instant next;
        try {
          next = sweep();
          outage.answered();
        } catch (RedisUnavailableException e) {
          next = clock.instant().plus(outage.failed(e));
          if (subscription == null) {
            subscription = subscribe();
          }
        } catch (RuntimeException e) {
          LOG.atError()
              .addKeyValue(LogFields.EVENT, "scheduler.sweep_error")
              .setCause(e)
              .log("bug: a sweep failed unexpectedly; trying again");
          next = clock.instant().plus(maxSleep);
        }
        sleepUntil(next);
      }
    } finally {
      close(subscription);
    }
  }

  /**
   * One sweep over every queue; returns when the next one is needed. It reads what it needs in one
   * round trip: the queues, and for each queue known from the sweep before, what is due in its two
   * sets and the earliest time after (a new queue costs one more), pipelined. Then it promotes and
   * fires what is due: under a stream of tasks for later, a sweep is two round trips.
   */
  public Instant sweep() {
    long now = clock.millis();
    Instant next = Instant.ofEpochMilli(now).plus(maxSleep);
    for (QueueHeads.Front front : heads.read(now)) {
      next = earliest(next, promoter.promoteDue(front.queue(), front.first(), now, BATCH));
      next = earliest(next, firer.fireDue(front.queue(), front.second(), BATCH));
    }
    return next;
  }

  private AutoCloseable subscribe() {
    try {
      return session.redis().subscribe(session.keys().schedulerChannel(), nextSweep::published);
    } catch (RedisUnavailableException e) {
      return null; // subscribed again once Redis answers; meanwhile maxSleep bounds the wait
    }
  }

  private void sleepUntil(Instant next) {
    try {
      nextSweep.awaitNext(next);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static Instant earliest(Instant a, Optional<Instant> b) {
    return b.filter(i -> i.isBefore(a)).orElse(a);
  }

  private static void close(AutoCloseable subscription) {
    if (subscription != null) {
      try {
        subscription.close();
      } catch (Exception e) {
        // the connection is going away anyway
      }
    }
  }
}
