package dev.taskqueue.schedule;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScoredHead;
import dev.taskqueue.redis.ScriptCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Moves due tasks from a queue's {@code scheduled} set to the front of its pending list through
 * {@code promote_due.lua}: retries whose backoff is over, and (with the scheduler) tasks due now.
 * Two round trips: read the due ids, then promote them; any number of promoters may run at once and
 * each task is promoted once.
 */
public final class DuePromoter {
  /** How many batches one read of the due ids feeds, their scripts sent together. */
  static final int BATCHES_PER_TRIP = 10;

  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final SchedulerMetrics metrics;

  public DuePromoter(Redis redis, Keys keys, Clock clock) {
    this(redis, keys, clock, SchedulerMetrics.unregistered());
  }

  /** A promoter counting what it promotes, and how late, in {@code metrics}. */
  public DuePromoter(Redis redis, Keys keys, Clock clock, SchedulerMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics);
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Promotes up to {@code max} due tasks of {@code queue}, earliest first.
   *
   * @return how many were promoted
   */
  public long promote(String queue, int max) {
    long now = clock.millis();
    List<String> due = redis.sortedSets().rangeByScore(keys.scheduled(queue), now, max);
    return due.isEmpty()
        ? 0
        : redis.scripts().evalLong(LuaScript.PROMOTE_DUE, keys(queue, due), args(now, due));
  }

  /**
   * Promotes every due task of {@code queue}, {@code batch} per script call. The first trip (read
   * the due ids, then promote them) carries one batch, so that workers wake for it at once; each
   * trip after it carries up to {@link #BATCHES_PER_TRIP} batches, their scripts pipelined. A burst
   * of 10,000 due tasks then costs 6 round trips, not 40.
   *
   * @return how many were promoted
   */
  public long promoteAll(String queue, int batch) {
    long now = clock.millis();
    return promoteFrom(
        queue,
        batch,
        now,
        redis.sortedSets().rangeByScoreWithScores(keys.scheduled(queue), now, batch));
  }

  /**
   * Promotes what a sweep read due in {@code queue}'s scheduled set ({@code head}, read as of
   * {@code now}, at most {@code batch}), and when that was a full batch the rest as {@link
   * #promoteAll} does.
   *
   * @return when the next task is due, if any waits: the read's lowest score above {@code now}, or
   *     after a full batch (a burst, which later reads went on with) read again
   */
  public Optional<Instant> promoteDue(String queue, ScoredHead head, long now, int batch) {
    promoteFrom(queue, batch, now, head.upTo());
    return head.upTo().size() < batch
        ? head.lowestAbove().map(Instant::ofEpochMilli)
        : nextDue(queue);
  }

  /** Promotes {@code dueAt}, read as of {@code now}; after a full read, reads and promotes on. */
  private long promoteFrom(String queue, int batch, long now, Map<String, Long> dueAt) {
    int reach = batch;
    long total = 0;
    while (true) {
      List<String> due = List.copyOf(dueAt.keySet());
      List<ScriptCall> calls = new ArrayList<>();
      for (int from = 0; from < due.size(); from += batch) {
        List<String> ids = due.subList(from, Math.min(due.size(), from + batch));
        calls.add(new ScriptCall(LuaScript.PROMOTE_DUE, keys(queue, ids), args(now, ids)));
      }
      long trip = 0;
      for (Object promoted : redis.scripts().evalBatch(calls)) {
        trip += ((Number) promoted).longValue();
      }
      total += trip;
      if (trip > 0) {
        List<Duration> late = new ArrayList<>(dueAt.size());
        for (long at : dueAt.values()) {
          late.add(Duration.ofMillis(now - at));
        }
        metrics.promoted(queue, trip, late);
      }
      if (due.size() < reach) {
        return total;
      }
      reach = batch * BATCHES_PER_TRIP;
      now = clock.millis();
      dueAt = redis.sortedSets().rangeByScoreWithScores(keys.scheduled(queue), now, reach);
    }
  }

  private List<String> keys(String queue, List<String> ids) {
    List<String> scriptKeys = new ArrayList<>(3 + ids.size());
    scriptKeys.add(keys.scheduled(queue));
    scriptKeys.add(keys.pending(queue));
    scriptKeys.add(keys.marker(queue));
    for (String id : ids) {
      scriptKeys.add(keys.task(queue, id));
    }
    return scriptKeys;
  }

  private static List<Object> args(long now, List<String> ids) {
    List<Object> args = new ArrayList<>(1 + ids.size());
    args.add(now);
    args.addAll(ids);
    return args;
  }

  /** When the earliest scheduled task of {@code queue} is due, if any waits. */
  public Optional<Instant> nextDue(String queue) {
    return redis.sortedSets().lowestScore(keys.scheduled(queue)).map(Instant::ofEpochMilli);
  }
}
