package dev.taskqueue.schedule;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Moves due tasks from a queue's {@code scheduled} set to the front of its pending list through
 * {@code promote_due.lua}: retries whose backoff is over, and (with the scheduler) tasks due now.
 * Two round trips per batch: read the due ids, then promote them; any number of promoters may run
 * at once and each task is promoted once.
 */
public final class DuePromoter {
  private final Redis redis;
  private final Keys keys;
  private final Clock clock;

  public DuePromoter(Redis redis, Keys keys, Clock clock) {
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
    List<String> due = redis.rangeByScore(keys.scheduled(queue), now, max);
    if (due.isEmpty()) {
      return 0;
    }
    List<String> scriptKeys = new ArrayList<>();
    scriptKeys.add(keys.scheduled(queue));
    scriptKeys.add(keys.pending(queue));
    scriptKeys.add(keys.marker(queue));
    List<Object> args = new ArrayList<>();
    args.add(now);
    for (String id : due) {
      scriptKeys.add(keys.task(queue, id));
      args.add(id);
    }
    return redis.evalLong(LuaScript.PROMOTE_DUE, scriptKeys, args);
  }

  /**
   * Promotes every due task of {@code queue}, {@code batch} per script call.
   *
   * @return how many were promoted
   */
  public long promoteAll(String queue, int batch) {
    long total = 0;
    long promoted;
    do {
      promoted = promote(queue, batch);
      total += promoted;
    } while (promoted == batch);
    return total;
  }

  /** When the earliest scheduled task of {@code queue} is due, if any waits. */
  public Optional<Instant> nextDue(String queue) {
    return redis.lowestScore(keys.scheduled(queue)).map(Instant::ofEpochMilli);
  }
}
