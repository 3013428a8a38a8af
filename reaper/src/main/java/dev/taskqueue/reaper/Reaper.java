package dev.taskqueue.reaper;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.lease.ExpiredLeases;
import dev.taskqueue.lease.Heartbeats;
import dev.taskqueue.lease.Reaped;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.queue.EndedTasks;
import dev.taskqueue.queue.QueueDepths;
import dev.taskqueue.queue.QueuePauses;
import dev.taskqueue.queue.QueueStats;
import dev.taskqueue.redis.Backoff;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.schedule.DuePromoter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reaper's one loop. Each sweep, for every queue:
 *
 * <ul>
 *   <li>ends the attempts whose lease expired, as lost (retry after a backoff, or dead);
 *   <li>promotes due retries from scheduled to the front of pending, so retries happen in a
 *       deployment without a scheduler process;
 *   <li>trims completed and dead tasks to the retention limits (every {@link #RETENTION_EVERY});
 * </ul>
 *
 * and forgets the heartbeat records of dead workers. Between sweeps it sleeps until the earliest
 * lease expiry, at most the configured interval, so a dead worker's tasks are taken over as soon as
 * their leases run out; and until the earliest due task (a retry, or a task for later), but for
 * that no sooner than {@link #DUE_WAKE_GAP} after the sweep. Any number of reapers may run at once.
 */
final class Reaper implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
  private static final int BATCH = 200;
  static final Duration RETENTION_EVERY = Duration.ofSeconds(10);

  /**
   * The least time from a sweep to the next when a due task is what wakes the reaper. Promoting due
   * tasks is the scheduler's work, which the reaper does too so that retries run where no scheduler
   * does. Tasks due milliseconds apart, a stream of tasks for later, had it sweep every queue for
   * each of them, beside the scheduler: at 200 due a second, 85 sweeps a second of six round trips
   * each, and 23% of a core (docs/benchmarks.md). Now, without a scheduler, such a task starts at
   * most this late.
   */
  static final Duration DUE_WAKE_GAP = Duration.ofMillis(100);

  private final ReaperSettings settings;
  private final RedisSession session;
  private final Clock clock;
  private final ExpiredLeases leases;
  private final DuePromoter promoter;
  private final Heartbeats heartbeats;
  private final Retention retention;
  private final ReaperMetrics metrics;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private Instant nextRetention = Instant.MIN;

  /**
   * A reaper whose retries wait {@code jitter}'s share of their backoff, not a random one: a test's
   * retry then never comes due in the sweep that scheduled it (a share of 0 made it so).
   */
  Reaper(ReaperSettings settings, RedisSession session, Clock clock, DoubleSupplier jitter) {
    this(
        settings,
        session,
        clock,
        new PrometheusRegistry(),
        new ExpiredLeases(session.redis(), session.keys(), clock, jitter));
  }

  /** A reaper registering its metrics ({@link ReaperMetrics}) in {@code registry}. */
  Reaper(ReaperSettings settings, RedisSession session, Clock clock, PrometheusRegistry registry) {
    this(
        settings,
        session,
        clock,
        registry,
        new ExpiredLeases(session.redis(), session.keys(), clock));
  }

  private Reaper(
      ReaperSettings settings,
      RedisSession session,
      Clock clock,
      PrometheusRegistry registry,
      ExpiredLeases leases) {
    this.settings = settings;
    this.metrics =
        new ReaperMetrics(
            registry,
            new QueueDepths(session.redis(), session.keys()),
            new QueueStats(session.redis(), session.keys(), clock),
            new QueuePauses(session.redis(), session.keys(), clock));
    this.session = session;
    this.clock = clock;
    this.leases = leases;
    this.promoter = new DuePromoter(session.redis(), session.keys(), clock);
    this.heartbeats = new Heartbeats(session.redis(), session.keys(), clock);
    this.retention =
        new Retention(settings, new EndedTasks(session.redis(), session.keys()), clock);
  }

  void stop() {
    running = false;
    stopped.countDown();
  }

  @Override
  public void run() {
    Backoff backoff = new Backoff();
    while (running) {
      Instant next;
      try {
        next = sweep();
        backoff.reset();
      } catch (RedisUnavailableException e) {
        Duration wait = backoff.next();
        LOG.atWarn()
            .addKeyValue(LogFields.EVENT, "reaper.redis_unavailable")
            .log("{}; retrying in {} ms", e.getMessage(), wait.toMillis());
        next = clock.instant().plus(wait);
      } catch (RuntimeException e) {
        LOG.atError()
            .addKeyValue(LogFields.EVENT, "reaper.sweep_error")
            .setCause(e)
            .log("bug: a sweep failed unexpectedly; trying again");
        next = clock.instant().plus(settings.interval());
      }
      sleepUntil(next);
    }
  }

  /** One sweep over every queue; returns when the next one is needed. */
  Instant sweep() {
    Instant now = clock.instant();
    Instant next = now.plus(settings.interval());
    boolean trim = !now.isBefore(nextRetention);
    Set<String> queues = session.redis().smembers(session.keys().queues());
    for (String queue : queues) {
      reap(queue);
      promoter.promoteAll(queue, BATCH);
      if (trim) {
        retention.trim(queue);
      }
      next = earliest(next, leases.nextExpiry(queue));
      next =
          earliest(next, promoter.nextDue(queue).map(due -> latest(due, now.plus(DUE_WAKE_GAP))));
    }
    heartbeats.removeDead(BATCH);
    if (trim) {
      nextRetention = now.plus(RETENTION_EVERY);
    }
    return next;
  }

  private void reap(String queue) {
    List<Reaped> reaped;
    do {
      reaped = leases.reap(queue, BATCH);
      for (Reaped task : reaped) {
        metrics.recovered(queue, task);
        LOG.atWarn()
            .addKeyValue(LogFields.EVENT, "task.lost")
            .addKeyValue(LogFields.TASK_ID, task.taskId().value())
            .addKeyValue(LogFields.QUEUE, queue)
            .log(
                "task {}: its lease expired; {}",
                task.taskId(),
                task.retryAt().map(at -> "retry at " + at).orElse("retries spent: dead"));
      }
    } while (reaped.size() == BATCH);
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earliest(Instant a, Optional<Instant> b) {
    return b.filter(i -> i.isBefore(a)).orElse(a);
  }

  private void sleepUntil(Instant next) {
    // A lease expires when its expiry has passed; wake just after it.
    long ms = Duration.between(clock.instant(), next).toMillis() + 1;
    if (ms <= 0) {
      return;
    }
    try {
      stopped.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
