package dev.taskqueue.reaper;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.lease.ExpiredLeases;
import dev.taskqueue.lease.Heartbeats;
import dev.taskqueue.lease.Reaped;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.queue.EndedTasks;
import dev.taskqueue.queue.QueueDepths;
import dev.taskqueue.queue.QueueHeads;
import dev.taskqueue.queue.QueuePauses;
import dev.taskqueue.queue.QueueStats;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisOutage;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.redis.ScoredHead;
import dev.taskqueue.schedule.DuePromoter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
   * each, and 23% of a core (docs/benchmarks-journal.md). Now, without a scheduler, such a task
   * starts at most this late.
   */
  static final Duration DUE_WAKE_GAP = Duration.ofMillis(100);

  private final ReaperSettings settings;
  private final Clock clock;
  private final ExpiredLeases leases;
  private final DuePromoter promoter;
  private final Heartbeats heartbeats;
  private final QueueHeads heads;
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
    this.clock = clock;
    this.leases = leases;
    this.promoter = new DuePromoter(session.redis(), session.keys(), clock);
    this.heartbeats = new Heartbeats(session.redis(), session.keys(), clock);
    this.heads =
        new QueueHeads(session.redis(), session.keys(), Keys::timeout, Keys::scheduled, BATCH);
    this.retention =
        new Retention(settings, new EndedTasks(session.redis(), session.keys()), clock);
  }

  void stop() {
    running = false;
    stopped.countDown();
  }

  @Override
  public void run() {
    RedisOutage outage = new RedisOutage(LOG, "reaper", "sweep", clock);
    while (running) {
      Instant next;
      try {
        next = sweep();
        outage.answered();
      } catch (RedisUnavailableException e) {
        next = clock.instant().plus(outage.failed(e));
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

  /**
   * One sweep over every queue; returns when the next one is needed. Like the scheduler's, it first
   * reads in one round trip (pipelined) the queues and, for each queue the sweep before knew, what
   * has expired or come due in its timeout and scheduled sets and the earliest time after (a new
   * queue costs one more read); it then acts, and plans from what it read and did.
   */
  Instant sweep() {
    Instant now = clock.instant();
    long ms = now.toEpochMilli();
    Instant next = now.plus(settings.interval());
    boolean trim = !now.isBefore(nextRetention);
    Instant dueNoSooner = now.plus(DUE_WAKE_GAP);
    for (QueueHeads.Front front : heads.read(ms)) {
      String queue = front.queue();
      List<Reaped> reaped = new ArrayList<>();
      next = earliest(next, reap(queue, front.first(), ms, reaped));
      for (Reaped task : reaped) {
        next = earliest(next, task.retryAt().map(at -> latest(at, dueNoSooner)));
      }
      next =
          earliest(
              next,
              promoter
                  .promoteDue(queue, front.second(), ms, BATCH)
                  .map(at -> latest(at, dueNoSooner)));
      if (trim) {
        retention.trim(queue);
      }
    }
    heartbeats.removeDead(BATCH);
    if (trim) {
      nextRetention = now.plus(RETENTION_EVERY);
    }
    return next;
  }

  /**
   * Ends the attempts whose lease the sweep read as expired ({@code leased}, read as of {@code
   * now}; a lease expires once its expiry has passed), adding them to {@code reaped}, and when the
   * read was full, the rest. Returns when the next lease expires: from the read, or read again when
   * the read was full or an attempt it listed was not ended (its lease renewed meanwhile).
   */
  private Optional<Instant> reap(String queue, ScoredHead leased, long now, List<Reaped> reaped) {
    List<String> expired = new ArrayList<>();
    Optional<Instant> next = leased.lowestAbove().map(Instant::ofEpochMilli);
    for (Map.Entry<String, Long> lease : leased.upTo().entrySet()) {
      if (lease.getValue() < now) {
        expired.add(lease.getKey());
      } else {
        next = Optional.of(Instant.ofEpochMilli(lease.getValue())); // expires at this very ms
      }
    }
    List<Reaped> ended = leases.reap(queue, expired);
    record(queue, ended);
    reaped.addAll(ended);
    boolean renewed = ended.size() < expired.size();
    boolean full = leased.upTo().size() >= BATCH;
    if (full) {
      do {
        ended = leases.reap(queue, BATCH);
        record(queue, ended);
        reaped.addAll(ended);
      } while (ended.size() == BATCH);
    }
    return full || renewed ? leases.nextExpiry(queue) : next;
  }

  private void record(String queue, List<Reaped> reaped) {
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
